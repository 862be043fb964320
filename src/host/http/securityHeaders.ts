import type { LoopbackSite } from './loopbackSite.js';

/**
 * The window's own files and nothing else: no inline script, no other origin, no framing. The event
 * socket is named explicitly because older browsers do not let `'self'` cover `ws:`.
 */
export function contentSecurityPolicy(site: LoopbackSite): string {
  const sockets = [...site.hosts].map((h) => `ws://${h}`).join(' ');
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self' ${sockets}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}

/** Sent with every answer, errors included. No `Access-Control-*` header is ever among them. */
export function securityHeaders(site: LoopbackSite): Readonly<Record<string, string>> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(site),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}
