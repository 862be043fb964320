import { randomBytes } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const SUFFIX = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const ID_SHAPE = /^[a-zA-Z0-9]{15}(?:[A-Z0-5]{3})?$/;

/** Salesforce's case-safe form: three check characters say which of the 15 are upper case. */
export function toId18(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk++) {
    let bits = 0;
    for (let j = 0; j < 5; j++) {
      const c = id15.charAt(chunk * 5 + j);
      if (c >= 'A' && c <= 'Z') bits |= 1 << j;
    }
    suffix += SUFFIX.charAt(bits);
  }
  return id15 + suffix;
}

/** The canonical 18-character id for a 15- or 18-character input, or undefined when it is not an id. */
export function normalizeId(text: string): string | undefined {
  if (!ID_SHAPE.test(text)) return undefined;
  const id18 = toId18(text.slice(0, 15));
  return text.length === 18 && id18 !== text ? undefined : id18;
}

export function looksLikeId(text: string): boolean {
  return normalizeId(text) !== undefined;
}

/** Ids of the same record compare equal whether written with 15 or 18 characters. */
export function sameId(a: string, b: string): boolean {
  return a.slice(0, 15) === b.slice(0, 15);
}

/** The key prefix of an id: the first three characters name the object type. */
export function keyPrefixOf(id: string): string {
  return id.slice(0, 3);
}

/**
 * Issues ids in the pod-and-counter shape real orgs use (`001` + `5g` pod + counter), unique per
 * sandbox because the counter is persisted with the rest of the org.
 */
export class IdFactory {
  #counter: number;

  constructor(counter = 0) {
    this.#counter = counter;
  }

  get counter(): number {
    return this.#counter;
  }

  next(keyPrefix: string): string {
    this.#counter++;
    let n = this.#counter;
    let body = '';
    for (let i = 0; i < 8; i++) {
      body = BASE62.charAt(n % 62) + body;
      n = Math.floor(n / 62);
    }
    return toId18(`${keyPrefix}5g00${body}`);
  }
}

/** An unguessable token of `bytes` random bytes in base62-like URL-safe text. */
export function randomToken(bytes = 24): string {
  return randomBytes(bytes).toString('base64url');
}
