/** What a connection keeps in the secret store. */
export const SECRET_KINDS = ['password', 'keyPassphrase', 'refreshToken'] as const;
export type SecretKind = (typeof SECRET_KINDS)[number];

/** The secret-store key of one connection secret. */
export function secretKey(connection: string, what: SecretKind): string {
  return `connection/${connection}/${what}`;
}

/** The secret-store key of a named secret that jobs and notifications refer to (HTTP headers, SMTP passwords). */
export function namedSecretKey(name: string): string {
  return `named/${name}`;
}
