/** The secret-store key of one connection secret. */
export function secretKey(connection: string, what: 'password' | 'keyPassphrase'): string {
  return `connection/${connection}/${what}`;
}
