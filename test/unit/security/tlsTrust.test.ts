import { rootCertificates } from 'node:tls';
import { execFile } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TransferError } from '../../../src/connectors/errors.js';
import {
  checkPeer,
  explainAuthorizationError,
  formatPin,
  loadTlsTrust,
  matchesPin,
  parseFingerprint,
  parseFingerprints,
  tlsConnectOptions,
  type PeerFacts,
  type TlsTrust,
} from '../../../src/security/tlsTrust.js';

const HEX = 'a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90';
const COLON = (HEX.toUpperCase().match(/../g) ?? []).join(':');
const KEY_PIN = createHash('sha256').update('some key').digest('base64');

function configError(op: () => unknown): TransferError {
  try {
    op();
  } catch (e) {
    expect(e).toBeInstanceOf(TransferError);
    expect((e as TransferError).kind).toBe('config');
    return e as TransferError;
  }
  throw new Error('expected a config error');
}

describe('parseFingerprint', () => {
  it.each([
    ['Node / browser notation', COLON],
    ['lower-case with colons', COLON.toLowerCase()],
    ['plain hex', HEX],
    ['plain upper-case hex', HEX.toUpperCase()],
    ['dash-separated', (HEX.match(/../g) ?? []).join('-')],
    ['space-separated', (HEX.match(/../g) ?? []).join(' ')],
    ['OpenSSL 3 output', `sha256 Fingerprint=${COLON}`],
    ['OpenSSL 1.1 output', `SHA256 Fingerprint=${COLON}`],
    ['sha256: prefix', `sha256:${HEX}`],
    ['SHA-256= prefix', `SHA-256=${COLON}`],
    ['surrounding blanks', `  ${COLON}\n`],
  ])('accepts %s', (_label, input) => {
    expect(parseFingerprint(input)).toEqual({ kind: 'certificate', sha256: COLON });
  });

  it('reads curl/HPKP public-key pins with one or two slashes', () => {
    expect(parseFingerprint(`sha256//${KEY_PIN}`)).toEqual({ kind: 'publicKey', sha256Base64: KEY_PIN });
    expect(parseFingerprint(`SHA256/${KEY_PIN}`)).toEqual({ kind: 'publicKey', sha256Base64: KEY_PIN });
  });

  it('refuses SHA-1 fingerprints with a hint to the SHA-256 one', () => {
    const e = configError(() => parseFingerprint('AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01'));
    expect(e.message).toMatch(/SHA-1/);
    expect(e.message).toMatch(/-sha256/);
  });

  it.each([
    ['too short', COLON.slice(0, -3)],
    ['not hex', COLON.replace('A1', 'ZZ')],
    ['empty', ''],
    ['bad base64 key pin', 'sha256//not-base64'],
  ])('refuses %s', (_label, input) => {
    configError(() => parseFingerprint(input));
  });

  it('round-trips through formatPin', () => {
    for (const input of [COLON, `sha256//${KEY_PIN}`]) {
      const pin = parseFingerprint(input);
      expect(parseFingerprint(formatPin(pin))).toEqual(pin);
    }
  });

  it('takes several pins so that a certificate renewal can be rolled over', () => {
    expect(parseFingerprints(`${HEX}, sha256//${KEY_PIN};`)).toEqual([
      { kind: 'certificate', sha256: COLON },
      { kind: 'publicKey', sha256Base64: KEY_PIN },
    ]);
    configError(() => parseFingerprints(' , '));
  });
});

const selfSigned: PeerFacts = {
  authorized: false,
  authorizationError: 'DEPTH_ZERO_SELF_SIGNED_CERT',
  fingerprint256: COLON,
  publicKeySha256Base64: KEY_PIN,
  subject: 'CN=127.0.0.1',
  issuer: 'CN=127.0.0.1',
  validFrom: 'Jan  1 00:00:00 2026 GMT',
  validTo: 'Jan 31 00:00:00 2026 GMT',
};
const { authorizationError: _unverifiedReason, ...verifiedFacts } = selfSigned;
const verified: PeerFacts = { ...verifiedFacts, authorized: true };

describe('checkPeer', () => {
  const system: TlsTrust = { kind: 'system' };
  const ca: TlsTrust = { kind: 'ca', caPem: 'unused', source: '/etc/partner-ca.pem' };

  it('refuses a self-signed certificate without CA or pin, showing what to do', () => {
    const e = checkPeer(system, selfSigned, '127.0.0.1:990');
    expect(e).toBeInstanceOf(TransferError);
    expect(e?.kind).toBe('certificate');
    expect(e?.fatal).toBe(true);
    expect(e?.retryable).toBe(false);
    expect(e?.message).toContain(COLON);
    expect(e?.message).toContain('CN=127.0.0.1');
    expect(e?.message).toContain('self-signed');
    expect(e?.message).toContain('--ca <file>');
    expect(e?.message).toContain(`--tls-fingerprint ${COLON}`);
  });

  it('names the CA file when the chain does not lead to it', () => {
    const e = checkPeer(ca, { ...selfSigned, authorizationError: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' }, 'h:21');
    expect(e?.kind).toBe('certificate');
    expect(e?.message).toContain('/etc/partner-ca.pem');
    expect(e?.message).toContain('issued by a CA that is not trusted');
  });

  it('refuses a host-name mismatch even with a valid chain', () => {
    const e = checkPeer(system, { ...selfSigned, authorizationError: 'ERR_TLS_CERT_ALTNAME_INVALID' }, 'files.example.com:21');
    expect(e?.message).toContain('not issued for files.example.com');
  });

  it('accepts what Node verified under the system store or the CA file', () => {
    expect(checkPeer(system, verified, 'h:21')).toBeUndefined();
    expect(checkPeer(ca, verified, 'h:21')).toBeUndefined();
  });

  it('accepts a matching certificate or key pin whatever the chain says', () => {
    expect(checkPeer({ kind: 'pin', pins: [parseFingerprint(HEX)] }, selfSigned, 'h:21')).toBeUndefined();
    expect(checkPeer({ kind: 'pin', pins: [parseFingerprint(`sha256//${KEY_PIN}`)] }, selfSigned, 'h:21')).toBeUndefined();
    const rolled = { kind: 'pin', pins: parseFingerprints(`${'00'.repeat(32)},${HEX}`) } as const;
    expect(checkPeer(rolled, selfSigned, 'h:21')).toBeUndefined();
  });

  it('refuses a pin mismatch even for a certificate the system would trust', () => {
    const e = checkPeer({ kind: 'pin', pins: [parseFingerprint('00'.repeat(32))] }, verified, 'h:21');
    expect(e?.kind).toBe('certificate');
    expect(e?.message).toContain('does not match the pinned fingerprint');
    expect(e?.message).toContain(COLON);
    expect(e?.message).toContain(`Expected: ${'00:'.repeat(31)}00`);
  });

  it('refuses a server that sent no certificate at all', () => {
    expect(checkPeer({ kind: 'pin', pins: [parseFingerprint(HEX)] }, { authorized: false }, 'h:21')?.kind).toBe('certificate');
  });

  it('compares fingerprints strictly', () => {
    expect(matchesPin([parseFingerprint(HEX)], { ...selfSigned, fingerprint256: COLON.replace(/.$/, '1') })).toBe(false);
    expect(matchesPin([parseFingerprint(HEX)], { ...selfSigned, fingerprint256: COLON.toLowerCase() })).toBe(true);
  });

  it('explains the usual verification codes', () => {
    expect(explainAuthorizationError('CERT_HAS_EXPIRED', 'h:1')).toBe('it has expired');
    expect(explainAuthorizationError('SELF_SIGNED_CERT_IN_CHAIN', 'h:1')).toMatch(/self-signed CA/);
    expect(explainAuthorizationError('SOMETHING_NEW', 'h:1')).toBe('SOMETHING_NEW');
  });
});

describe('tlsConnectOptions', () => {
  it('lets the caller decide, with SNI only for names, the given CA in CA mode, the system roots in system mode', () => {
    const byIp = tlsConnectOptions({ kind: 'system' }, '127.0.0.1');
    expect(byIp.rejectUnauthorized).toBe(false);
    expect(byIp.servername).toBeUndefined();
    expect(byIp.host).toBe('127.0.0.1');
    expect(byIp.ca).toEqual(expect.arrayContaining([...rootCertificates]));
    expect(tlsConnectOptions({ kind: 'pin', pins: [] }, 'h').ca).toBeUndefined();
    const byName = tlsConnectOptions({ kind: 'ca', caPem: 'PEM', source: 'f' }, 'ftp.example.com');
    expect(byName.servername).toBe('ftp.example.com');
    expect(byName.ca).toBe('PEM');
    expect(byName.minVersion).toBe('TLSv1.2');
  });
});

describe('loadTlsTrust', () => {
  let dir: string;
  let certPem: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ferry-tls-'));
    await promisify(execFile)('/usr/bin/openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=ferry-test-ca',
      '-keyout', join(dir, 'ca.key'), '-out', join(dir, 'ca.pem'),
    ]);
    certPem = await readFile(join(dir, 'ca.pem'), 'utf8');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('defaults to the system store', async () => {
    expect(await loadTlsTrust({})).toEqual({ kind: 'system' });
  });

  it('reads a CA file', async () => {
    const trust = await loadTlsTrust({ caFile: join(dir, 'ca.pem') });
    expect(trust.kind).toBe('ca');
    if (trust.kind === 'ca') expect(new X509Certificate(trust.caPem).subject).toContain('ferry-test-ca');
  });

  it('normalises a pin', async () => {
    expect(await loadTlsTrust({ fingerprint: HEX })).toEqual({ kind: 'pin', pins: [{ kind: 'certificate', sha256: COLON }] });
  });

  it('refuses both at once, a missing file and a file without certificates', async () => {
    await expect(loadTlsTrust({ caFile: join(dir, 'ca.pem'), fingerprint: HEX })).rejects.toMatchObject({ kind: 'config' });
    await expect(loadTlsTrust({ caFile: join(dir, 'missing.pem') })).rejects.toMatchObject({ kind: 'config' });
    await writeFile(join(dir, 'key-only.pem'), await readFile(join(dir, 'ca.key')));
    await expect(loadTlsTrust({ caFile: join(dir, 'key-only.pem') })).rejects.toMatchObject({ kind: 'config' });
    await writeFile(join(dir, 'broken.pem'), certPem.replace(/[A-Za-z]{20}/, 'x'));
    await expect(loadTlsTrust({ caFile: join(dir, 'broken.pem') })).rejects.toMatchObject({ kind: 'config' });
  });
});
