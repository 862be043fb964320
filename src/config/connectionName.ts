/** What a connection may be called: the name commands, job files and `<name>:<path>` locations use. */
export const CONNECTION_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export function isValidConnectionName(name: string): boolean {
  return CONNECTION_NAME.test(name);
}
