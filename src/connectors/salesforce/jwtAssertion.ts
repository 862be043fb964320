import { createPrivateKey, sign, type KeyObject } from 'node:crypto';
import { TransferError } from '../errors.js';

export interface JwtAssertionInput {
  /** The connected or external client app's consumer key. */
  readonly clientId: string;
  /** The Salesforce username the app acts as. */
  readonly username: string;
  /** `https://login.salesforce.com`, `https://test.salesforce.com` or an Experience Cloud site URL. */
  readonly audience: string;
  /** PEM of the RSA private key whose certificate is uploaded to the app. */
  readonly privateKeyPem: string;
  /** Salesforce refuses an assertion that expires more than three minutes ahead. */
  readonly lifetimeSeconds?: number;
  /** Milliseconds since the epoch. */
  readonly now?: number;
}

/** The RS256-signed assertion for Salesforce's OAuth JWT bearer flow. */
export function buildJwtAssertion(input: JwtAssertionInput): string {
  const { clientId, username, audience, privateKeyPem, lifetimeSeconds = 180, now = Date.now() } = input;
  for (const [claim, value] of [
    ['client id', clientId],
    ['username', username],
    ['audience', audience],
  ] as const) {
    if (value.trim() === '') throw new TransferError('config', `The JWT bearer login needs a ${claim}`);
  }
  if (!(lifetimeSeconds > 0)) throw new RangeError('lifetimeSeconds must be positive');

  const key = rsaPrivateKey(privateKeyPem);
  const header = { alg: 'RS256', typ: 'JWT' };
  const claims = { iss: clientId, sub: username, aud: audience, exp: Math.floor(now / 1000) + lifetimeSeconds };
  const signingInput = `${base64UrlJson(header)}.${base64UrlJson(claims)}`;
  const signature = sign('sha256', Buffer.from(signingInput, 'utf8'), key).toString('base64url');
  return `${signingInput}.${signature}`;
}

/** Messages name what is wrong with the key, never its content, and carry no cause that might. */
function rsaPrivateKey(pem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch {
    // OpenSSL's error for a missing passphrase is too cryptic to pass on, but the PEM header tells.
    const encrypted = /BEGIN ENCRYPTED PRIVATE KEY|Proc-Type:\s*4,ENCRYPTED/.test(pem);
    throw new TransferError(
      'config',
      encrypted
        ? 'The JWT signing key is encrypted: supply it without a passphrase'
        : 'The JWT signing key is not a PEM private key',
    );
  }
  if (key.asymmetricKeyType !== 'rsa') {
    const type = key.asymmetricKeyType ?? 'unknown';
    throw new TransferError('config', `The JWT signing key is a ${type} key: RS256 needs a plain RSA key`);
  }
  return key;
}

function base64UrlJson(value: object): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}
