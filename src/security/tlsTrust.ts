import { createHash, X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import type { ConnectionOptions, PeerCertificate, TLSSocket } from 'node:tls';
import { TransferError } from '../connectors/errors.js';
import { assertNever } from '../shared/util/assertNever.js';
import { systemRootCertificates } from './systemRoots.js';

/**
 * One pinned identity. A certificate pin matches exactly one certificate; a public-key pin (the
 * `sha256//…` notation of curl's `--pinnedpubkey` and HPKP) survives a renewal that keeps the key.
 */
export type CertificatePin =
  | { readonly kind: 'certificate'; /** Upper-case, colon-separated hex, as Node's `fingerprint256`. */ readonly sha256: string }
  | { readonly kind: 'publicKey'; /** Base64 of the SHA-256 of the DER SubjectPublicKeyInfo. */ readonly sha256Base64: string };

/**
 * How a TLS server proves who it is.
 * - `system`: a chain to Node's bundled roots or the operating system's store, valid for the host name or IP.
 * - `ca`: a chain to one of the given CA certificates only (the system store is not consulted), valid for
 *   the host name or IP.
 * - `pin`: the server's certificate (or key) equals one of the pins; chain, expiry and host name are not
 *   checked, because the user vouched for this exact identity.
 */
export type TlsTrust =
  | { readonly kind: 'system' }
  | { readonly kind: 'ca'; /** PEM text, one or more certificates. */ readonly caPem: string; /** Shown in messages. */ readonly source: string }
  | { readonly kind: 'pin'; readonly pins: ReadonlyArray<CertificatePin> };

/** What the server presented, reduced to the facts a trust decision and its message need. */
export interface PeerFacts {
  /** Whether Node verified the chain against the configured roots and the host name. */
  readonly authorized: boolean;
  /** Node's reason when not authorized, e.g. `DEPTH_ZERO_SELF_SIGNED_CERT`. */
  readonly authorizationError?: string;
  /** Upper-case colon-separated hex; absent when the server sent no certificate. */
  readonly fingerprint256?: string;
  readonly publicKeySha256Base64?: string;
  readonly subject?: string;
  readonly issuer?: string;
  readonly validFrom?: string;
  readonly validTo?: string;
}

const HEX_64 = /^[0-9a-f]{64}$/;
const HEX_40 = /^[0-9a-f]{40}$/;
const BASE64_SHA256 = /^[A-Za-z0-9+/]{43}=$/;

/**
 * Normalises a fingerprint as users copy it from other tools into a pin. Accepted:
 * `AB:CD:…`, `ab-cd-…`, `abcd…` (64 hex digits, any case, `:`, `-` or blanks between pairs), optionally
 * prefixed `sha256:`, `sha256=` or OpenSSL's `SHA256 Fingerprint=`; and `sha256//<base64>` (also with one
 * slash) for a public-key pin. Throws TransferError kind 'config' for anything else, naming the reason.
 */
export function parseFingerprint(input: string): CertificatePin {
  const trimmed = input.trim();
  const keyPin = /^sha256\/\/?(.+)$/i.exec(trimmed);
  if (keyPin !== null) {
    const b64 = (keyPin[1] ?? '').trim();
    if (!BASE64_SHA256.test(b64)) {
      throw new TransferError('config', `Public-key pin ${JSON.stringify(input)} is not the base64 of a SHA-256 digest (44 characters ending in "=")`);
    }
    return { kind: 'publicKey', sha256Base64: b64 };
  }
  const withoutPrefix = trimmed.replace(/^(sha-?256\s*fingerprint\s*=|sha-?256\s*[:=])\s*/i, '');
  const hex = withoutPrefix.replace(/[\s:-]/g, '').toLowerCase();
  if (HEX_40.test(hex)) {
    throw new TransferError(
      'config',
      `${JSON.stringify(input)} looks like a SHA-1 fingerprint; give the SHA-256 one (openssl x509 -noout -fingerprint -sha256 -in cert.pem)`,
    );
  }
  if (!HEX_64.test(hex)) {
    throw new TransferError(
      'config',
      `${JSON.stringify(input)} is not a SHA-256 certificate fingerprint (64 hex digits, e.g. AB:CD:…) or a public-key pin (sha256//<base64>)`,
    );
  }
  return { kind: 'certificate', sha256: colonHex(hex) };
}

/** Parses one or more pins separated by commas or semicolons, so that a renewal can be rolled over. */
export function parseFingerprints(input: string): ReadonlyArray<CertificatePin> {
  const parts = input
    .split(/[,;]/)
    .map((p) => p.trim())
    .filter((p) => p !== '');
  if (parts.length === 0) throw new TransferError('config', 'The certificate fingerprint is empty');
  return parts.map(parseFingerprint);
}

/** How a pin is written back to the user (and accepted again by `parseFingerprint`). */
export function formatPin(pin: CertificatePin): string {
  return pin.kind === 'certificate' ? pin.sha256 : `sha256//${pin.sha256Base64}`;
}

function colonHex(hex: string): string {
  return (hex.toUpperCase().match(/../g) ?? []).join(':');
}

export interface TrustInput {
  /** Path of a PEM file holding the CA certificate(s) that signed the server's certificate. */
  readonly caFile?: string;
  /** One or more pins (see `parseFingerprint`), comma-separated. */
  readonly fingerprint?: string;
}

/**
 * Builds the trust policy from user settings. Reads and checks the CA file now, so that a typo fails
 * before any connection is attempted. Throws TransferError kind 'config'.
 */
export async function loadTlsTrust(input: TrustInput): Promise<TlsTrust> {
  const hasCa = input.caFile !== undefined && input.caFile !== '';
  const hasPin = input.fingerprint !== undefined && input.fingerprint !== '';
  if (hasCa && hasPin) {
    throw new TransferError('config', 'Give either a CA file or a certificate fingerprint, not both');
  }
  if (hasPin) return { kind: 'pin', pins: parseFingerprints(input.fingerprint ?? '') };
  if (!hasCa) return { kind: 'system' };
  const file = input.caFile ?? '';
  let pem: string;
  try {
    pem = await readFile(file, 'utf8');
  } catch (e) {
    throw new TransferError('config', `Cannot read the CA file ${JSON.stringify(file)}: ${(e as Error).message}`, { cause: e });
  }
  return caTrustFromPem(pem, file);
}

/** A CA policy from PEM text; throws kind 'config' unless it holds at least one parseable certificate. */
export function caTrustFromPem(pem: string, source: string): TlsTrust {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) {
    throw new TransferError('config', `The CA file ${JSON.stringify(source)} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
  }
  for (const block of blocks) {
    try {
      new X509Certificate(block);
    } catch (e) {
      throw new TransferError('config', `The CA file ${JSON.stringify(source)} holds a certificate that cannot be parsed`, { cause: e });
    }
  }
  return { kind: 'ca', caPem: blocks.join('\n'), source };
}

/**
 * Options for `tls.connect` under a policy. Node is told not to reject on its own
 * (`rejectUnauthorized: false`) so that the presented certificate can be shown to the user; the caller
 * must run `checkPeer` on the established socket before sending anything secret. Node still computes
 * `authorized` (chain and host name) for the `system` and `ca` policies.
 */
export function tlsConnectOptions(trust: TlsTrust, host: string): ConnectionOptions {
  const base: ConnectionOptions = {
    host,
    // RFC 6066 forbids an IP address as SNI; Node then checks the IP against the certificate's SANs itself.
    ...(isIP(host) === 0 ? { servername: host } : {}),
    rejectUnauthorized: false,
    minVersion: 'TLSv1.2',
  };
  switch (trust.kind) {
    case 'ca':
      return { ...base, ca: trust.caPem };
    case 'system':
      return { ...base, ca: [...systemRootCertificates()] };
    case 'pin':
      return base;
    default:
      return assertNever(trust, 'TLS trust');
  }
}

/** Reads the facts `checkPeer` needs from an established TLS socket. */
export function peerFacts(socket: TLSSocket): PeerFacts {
  const cert = socket.getPeerCertificate();
  const hasCert = Object.keys(cert).length > 0;
  // Node documents a string code here although the typings say Error.
  const rawReason: unknown = socket.authorizationError;
  const reason = typeof rawReason === 'string' ? rawReason : rawReason instanceof Error ? rawReason.message : undefined;
  return {
    authorized: socket.authorized,
    ...(reason === undefined ? {} : { authorizationError: reason }),
    ...(hasCert ? certificateFacts(cert) : {}),
  };
}

function certificateFacts(cert: PeerCertificate): Partial<PeerFacts> {
  return {
    fingerprint256: cert.fingerprint256,
    ...(cert.pubkey === undefined ? {} : { publicKeySha256Base64: createHash('sha256').update(cert.pubkey).digest('base64') }),
    subject: distinguishedName(cert.subject),
    issuer: distinguishedName(cert.issuer),
    validFrom: cert.valid_from,
    validTo: cert.valid_to,
  };
}

function distinguishedName(dn: PeerCertificate['subject'] | undefined): string {
  if (dn === undefined) return '';
  return Object.entries(dn)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : String(v)}`)
    .join(', ');
}

/** Whether `peer` matches one of the pins. */
export function matchesPin(pins: ReadonlyArray<CertificatePin>, peer: PeerFacts): boolean {
  return pins.some((pin) =>
    pin.kind === 'certificate'
      ? peer.fingerprint256 !== undefined && peer.fingerprint256.toUpperCase() === pin.sha256
      : peer.publicKeySha256Base64 !== undefined && peer.publicKeySha256Base64 === pin.sha256Base64,
  );
}

/**
 * The trust decision: undefined when the peer may be trusted, else a fatal TransferError kind
 * 'certificate' whose message shows what was presented and how to trust it deliberately.
 * `where` names the server, e.g. `127.0.0.1:990`.
 */
export function checkPeer(trust: TlsTrust, peer: PeerFacts, where: string): TransferError | undefined {
  if (peer.fingerprint256 === undefined) {
    return new TransferError('certificate', `The server ${where} presented no TLS certificate`);
  }
  switch (trust.kind) {
    case 'pin': {
      if (matchesPin(trust.pins, peer)) return undefined;
      const expected = trust.pins.map(formatPin).join(', ');
      return new TransferError(
        'certificate',
        `The certificate of ${where} does not match the pinned fingerprint.\n` +
          `  Expected: ${expected}\n${describePeer(peer)}\n` +
          'Either the server changed its certificate or someone is intercepting the connection. ' +
          'Check with the server operator before pinning the new fingerprint.',
      );
    }
    case 'system':
    case 'ca': {
      if (peer.authorized) return undefined;
      const against = trust.kind === 'ca' ? `the CA file ${JSON.stringify(trust.source)}` : 'the system certificate store';
      return new TransferError(
        'certificate',
        `The certificate of ${where} is not trusted by ${against}: ${explainAuthorizationError(peer.authorizationError, where)}.\n` +
          `${describePeer(peer)}\n` +
          `If you trust this server, pass the CA certificate that signed it with --ca <file>, or pin this certificate with --tls-fingerprint ${peer.fingerprint256}`,
      );
    }
    default:
      return assertNever(trust, 'TLS trust');
  }
}

function describePeer(peer: PeerFacts): string {
  const lines = [
    `  Presented SHA-256 fingerprint: ${peer.fingerprint256 ?? 'none'}`,
    `  Subject: ${peer.subject ?? 'unknown'}`,
    `  Issuer: ${peer.issuer ?? 'unknown'}`,
  ];
  if (peer.validFrom !== undefined && peer.validTo !== undefined) lines.push(`  Valid: ${peer.validFrom} to ${peer.validTo}`);
  return lines.join('\n');
}

/** Node's verification codes in words a user can act on. */
export function explainAuthorizationError(code: string | undefined, where: string): string {
  switch (code) {
    case undefined:
      return 'it could not be verified';
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
      return 'it is self-signed';
    case 'SELF_SIGNED_CERT_IN_CHAIN':
      return 'its chain ends in a self-signed CA that is not trusted';
    case 'UNABLE_TO_GET_ISSUER_CERT':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
      return 'it was issued by a CA that is not trusted';
    case 'CERT_HAS_EXPIRED':
      return 'it has expired';
    case 'CERT_NOT_YET_VALID':
      return 'it is not valid yet';
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return `it is not issued for ${where.replace(/:\d+$/, '')}`;
    default:
      return code.startsWith('Hostname/IP does not match') ? `it is not issued for ${where.replace(/:\d+$/, '')}` : code;
  }
}

/** One line for reports: how the server was verified. */
export function describeTrust(trust: TlsTrust): string {
  switch (trust.kind) {
    case 'system':
      return 'verified against the system certificate store';
    case 'ca':
      return `verified against the CA file ${JSON.stringify(trust.source)}`;
    case 'pin':
      return `pinned to ${trust.pins.map(formatPin).join(', ')}`;
    default:
      return assertNever(trust, 'TLS trust');
  }
}

/** What a person may answer about a certificate nothing vouches for. */
export type CertificateAnswer = 'trust' | 'once' | 'refuse';

/** A certificate the system store (or the CA file) does not vouch for, as a person is asked about it. */
export interface UntrustedCertificate {
  readonly host: string;
  readonly port: number;
  readonly subject: string;
  readonly issuer: string;
  readonly validFrom: string;
  readonly validTo: string;
  /** Upper-case colon-separated hex, as `parseFingerprint` accepts it. */
  readonly fingerprint: string;
  /** Each reason it is not trusted, in words. */
  readonly problems: ReadonlyArray<string>;
}

/**
 * The question about a refused certificate. Node names one verification error only, so expiry and the
 * host name are checked here too: a self-signed certificate that has also expired says both.
 * `nameMatches` is whether the certificate is issued for `host` (`tls.checkServerIdentity`).
 */
export function untrustedCertificate(peer: PeerFacts, host: string, port: number, nameMatches: boolean, now = Date.now()): UntrustedCertificate {
  const validTo = peer.validTo === undefined ? Number.NaN : Date.parse(peer.validTo);
  const validFrom = peer.validFrom === undefined ? Number.NaN : Date.parse(peer.validFrom);
  const facts = [
    ...(validTo < now ? [`it expired on ${peer.validTo ?? ''}`] : []),
    ...(validFrom > now ? [`it is not valid before ${peer.validFrom ?? ''}`] : []),
    ...(nameMatches ? [] : [`it is not issued for ${host}`]),
  ];
  const code = peer.authorizationError;
  // Node's one code may name a fact already said, with less detail (no date).
  const saidAlready =
    (code === 'CERT_HAS_EXPIRED' && validTo < now) ||
    (code === 'CERT_NOT_YET_VALID' && validFrom > now) ||
    (!nameMatches && explainAuthorizationError(code, host).startsWith('it is not issued'));
  const problems = [...(saidAlready ? [] : [explainAuthorizationError(code, `${host}:${port}`)]), ...facts];
  return {
    host,
    port,
    subject: peer.subject ?? 'unknown',
    issuer: peer.issuer ?? 'unknown',
    validFrom: peer.validFrom ?? 'unknown',
    validTo: peer.validTo ?? 'unknown',
    fingerprint: peer.fingerprint256 ?? 'none',
    problems,
  };
}

/**
 * A certificate refused under the `system` or `ca` policy, carrying what to ask a person: a window may
 * let them accept it once or trust it, where the command line refuses it with the fingerprint to pin.
 */
export class UntrustedCertificateError extends TransferError {
  readonly certificate: UntrustedCertificate;

  constructor(refusal: TransferError, certificate: UntrustedCertificate) {
    super('certificate', refusal.message, { cause: refusal });
    this.certificate = certificate;
  }
}

/** A pin on exactly the certificate a person accepted. */
export function pinOf(certificate: UntrustedCertificate): TlsTrust {
  return { kind: 'pin', pins: [{ kind: 'certificate', sha256: certificate.fingerprint }] };
}
