import { describe, expect, it } from 'vitest';
import { untrustedCertificate, type PeerFacts } from '../../../src/security/tlsTrust.js';

const NOW = Date.parse('2026-06-01T00:00:00Z');
const selfSigned: PeerFacts = {
  authorized: false,
  authorizationError: 'DEPTH_ZERO_SELF_SIGNED_CERT',
  fingerprint256: 'AB:CD',
  subject: 'CN=ftp.partner.example',
  issuer: 'CN=ftp.partner.example',
  validFrom: 'Jan  1 00:00:00 2026 GMT',
  validTo: 'Jan  1 00:00:00 2027 GMT',
};

/** What the window shows about a certificate nothing vouches for: each reason, in words. */
describe('the question about an untrusted certificate', () => {
  it('says a self-signed certificate is self-signed, with what it is', () => {
    expect(untrustedCertificate(selfSigned, 'ftp.partner.example', 990, true, NOW)).toEqual({
      host: 'ftp.partner.example',
      port: 990,
      subject: 'CN=ftp.partner.example',
      issuer: 'CN=ftp.partner.example',
      validFrom: 'Jan  1 00:00:00 2026 GMT',
      validTo: 'Jan  1 00:00:00 2027 GMT',
      fingerprint: 'AB:CD',
      problems: ['it is self-signed'],
    });
  });

  it('says also that it has expired, with the date, and for which name it is not issued', () => {
    const expired = { ...selfSigned, validTo: 'Jan  1 00:00:00 2026 GMT', validFrom: 'Jan  1 00:00:00 2025 GMT' };
    expect(untrustedCertificate(expired, '127.0.0.1', 21, false, NOW).problems).toEqual([
      'it is self-signed',
      'it expired on Jan  1 00:00:00 2026 GMT',
      'it is not issued for 127.0.0.1',
    ]);
  });

  it('says an expiry once when Node names it too, and a certificate not valid yet', () => {
    const expired = { ...selfSigned, authorizationError: 'CERT_HAS_EXPIRED', validTo: 'Jan  1 00:00:00 2026 GMT' };
    expect(untrustedCertificate(expired, 'ftp.partner.example', 21, true, NOW).problems).toEqual(['it expired on Jan  1 00:00:00 2026 GMT']);
    const early = { ...selfSigned, authorizationError: 'CERT_NOT_YET_VALID', validFrom: 'Jan  1 00:00:00 2027 GMT' };
    expect(untrustedCertificate(early, 'ftp.partner.example', 21, true, NOW).problems).toEqual(['it is not valid before Jan  1 00:00:00 2027 GMT']);
  });

  it('says the name once when Node names the mismatch itself', () => {
    const other = { ...selfSigned, authorizationError: 'ERR_TLS_CERT_ALTNAME_INVALID' };
    expect(untrustedCertificate(other, 'files.example', 21, false, NOW).problems).toEqual(['it is not issued for files.example']);
  });
});
