import { generateKeyPairSync, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { TransferError } from '../../../src/connectors/errors.js';
import { buildJwtAssertion } from '../../../src/connectors/salesforce/jwtAssertion.js';

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const RSA_PEM = rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const RSA_PKCS1_PEM = rsa.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();

const base = {
  clientId: '3MVG9_consumer_key',
  username: 'integration@example.com',
  audience: 'https://login.salesforce.com',
  privateKeyPem: RSA_PEM,
};

function decodePart(part: string | undefined): unknown {
  return JSON.parse(Buffer.from(part ?? '', 'base64url').toString('utf8'));
}

function configError(input: Parameters<typeof buildJwtAssertion>[0]): TransferError {
  try {
    buildJwtAssertion(input);
  } catch (e) {
    expect(e).toBeInstanceOf(TransferError);
    expect((e as TransferError).kind).toBe('config');
    return e as TransferError;
  }
  throw new Error('expected a config error');
}

describe('buildJwtAssertion', () => {
  it('signs the claims with RS256 so that the public key verifies them', () => {
    const now = Date.UTC(2026, 10, 2, 12, 0, 0, 500);
    const jwt = buildJwtAssertion({ ...base, now });
    const [header, claims, signature] = jwt.split('.');
    expect(jwt.split('.')).toHaveLength(3);
    expect(decodePart(header)).toEqual({ alg: 'RS256', typ: 'JWT' });
    expect(decodePart(claims)).toEqual({
      iss: base.clientId,
      sub: base.username,
      aud: base.audience,
      exp: Math.floor(now / 1000) + 180,
    });
    const signed = Buffer.from(`${header}.${claims}`, 'utf8');
    expect(verify('sha256', signed, rsa.publicKey, Buffer.from(signature ?? '', 'base64url'))).toBe(true);
    expect(verify('sha256', Buffer.from(`${header}.${claims}x`), rsa.publicKey, Buffer.from(signature ?? '', 'base64url'))).toBe(
      false,
    );
  });

  it('uses only URL-safe characters', () => {
    expect(buildJwtAssertion(base)).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
  });

  it('honours the lifetime and reads a PKCS#1 key too', () => {
    const jwt = buildJwtAssertion({ ...base, privateKeyPem: RSA_PKCS1_PEM, lifetimeSeconds: 60, now: 1_000_000 });
    expect(decodePart(jwt.split('.')[1])).toMatchObject({ exp: 1060 });
  });

  it('refuses what is not a usable RSA private key without echoing it', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const encrypted = rsa.privateKey
      .export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pw' })
      .toString();
    const cases: Array<[string, RegExp]> = [
      ['not a key at all SECRETSTUFF', /not a PEM private key/],
      [rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString(), /not a PEM private key/],
      [RSA_PEM.slice(0, 200), /not a PEM private key/],
      [ec.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), /ec key: RS256 needs/],
      [encrypted, /encrypted/],
      [rsa.privateKey.export({ type: 'pkcs1', format: 'pem', cipher: 'aes-128-cbc', passphrase: 'pw' }).toString(), /encrypted/],
    ];
    for (const [privateKeyPem, reason] of cases) {
      const e = configError({ ...base, privateKeyPem });
      expect(e.message).toMatch(reason);
      const body = privateKeyPem.split('\n')[1] ?? privateKeyPem;
      expect(e.message).not.toContain(body);
      expect(e.message).not.toContain('SECRETSTUFF');
      expect(e.cause).toBeUndefined();
    }
  });

  it('refuses empty claims', () => {
    expect(configError({ ...base, username: ' ' }).message).toMatch(/username/);
    expect(configError({ ...base, clientId: '' }).message).toMatch(/client id/);
    expect(() => buildJwtAssertion({ ...base, lifetimeSeconds: 0 })).toThrow(RangeError);
  });
});
