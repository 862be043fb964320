import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** The user both demo servers let in. */
export const DEMO_USER = 'partner';

/** A password for one start of a demo server: it lives in the server's memory and Ferry's secret store only. */
export function newDemoPassword(): string {
  return randomBytes(18).toString('base64url');
}

/** Compares in constant time, whatever the lengths, so that a wrong guess says nothing about the right one. */
export function sameSecret(given: string, expected: string): boolean {
  const digest = (text: string): Buffer => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
