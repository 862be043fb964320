import { X509Certificate } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { requireBinary, run } from './util.js';

export interface TestCertificate {
  readonly certPath: string;
  readonly keyPath: string;
  /** Key and certificate in one file, as pure-ftpd wants it. */
  readonly combinedPath: string;
  /** Colon-separated uppercase hex, as `getPeerCertificate().fingerprint256` prints it. */
  readonly fingerprint256: string;
}

/** A self-signed certificate valid for 127.0.0.1 and localhost, so clients can verify it with `ca`. */
export async function makeCertificate(dir: string): Promise<TestCertificate> {
  const openssl = requireBinary('/usr/bin/openssl');
  const certPath = `${dir}/server.crt`;
  const keyPath = `${dir}/server.key`;
  const combinedPath = `${dir}/server.pem`;
  await run(openssl, [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '30',
    '-subj',
    '/CN=127.0.0.1',
    '-addext',
    'subjectAltName=IP:127.0.0.1,DNS:localhost',
    '-keyout',
    keyPath,
    '-out',
    certPath,
  ]);
  const [cert, key] = await Promise.all([readFile(certPath, 'utf8'), readFile(keyPath, 'utf8')]);
  await writeFile(combinedPath, `${key.trimEnd()}\n${cert}`, { mode: 0o600 });
  return { certPath, keyPath, combinedPath, fingerprint256: new X509Certificate(cert).fingerprint256 };
}
