import { readFileSync } from 'node:fs';
import * as tls from 'node:tls';

/** Where Linux distributions and macOS keep the operating system's CA bundle. */
export const OS_BUNDLE_FILES: ReadonlyArray<string> = [
  '/etc/ssl/certs/ca-certificates.crt',
  '/etc/pki/tls/certs/ca-bundle.crt',
  '/etc/ssl/ca-bundle.pem',
  '/etc/ssl/cert.pem',
];

let cached: ReadonlyArray<string> | undefined;

/**
 * Node's bundled roots plus the operating system's store, so that a partner certificate issued by a CA
 * the company installed system-wide verifies as it does in a browser. Node reads only its own bundle
 * unless told otherwise; newer runtimes expose the OS store directly, older ones read the bundle file.
 */
export function systemRootCertificates(bundleFiles: ReadonlyArray<string> = OS_BUNDLE_FILES): ReadonlyArray<string> {
  if (bundleFiles === OS_BUNDLE_FILES && cached !== undefined) return cached;
  const roots = [...new Set([...tls.rootCertificates, ...osCertificates(bundleFiles)])];
  if (bundleFiles === OS_BUNDLE_FILES) cached = roots;
  return roots;
}

function osCertificates(bundleFiles: ReadonlyArray<string>): ReadonlyArray<string> {
  const fromRuntime = (tls as { getCACertificates?: (type: 'system') => string[] }).getCACertificates;
  if (typeof fromRuntime === 'function' && bundleFiles === OS_BUNDLE_FILES) {
    try {
      return fromRuntime('system');
    } catch {
      // Fall through to the bundle files.
    }
  }
  for (const file of bundleFiles) {
    try {
      return splitPem(readFileSync(file, 'utf8'));
    } catch {
      // Not this distribution's location.
    }
  }
  return [];
}

function splitPem(text: string): string[] {
  return text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}
