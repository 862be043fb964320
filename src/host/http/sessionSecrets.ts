import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A secret for one start of the web host: 256 random bits, URL-safe. */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Compares a secret a client presented with ours in time that does not depend on where they differ.
 * Both are hashed first so that their lengths need not match (`timingSafeEqual` throws when they differ).
 */
export function sameSecret(presented: string, expected: string): boolean {
  const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(presented), digest(expected));
}

/** The value of cookie `name` in a `Cookie` header, if it is there exactly once. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  const values = header
    .split(';')
    .map((pair) => pair.trim())
    .filter((pair) => pair.startsWith(`${name}=`))
    .map((pair) => pair.slice(name.length + 1));
  return values.length === 1 ? values[0] : undefined;
}
