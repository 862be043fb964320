import type { ClockCheckView, TlsSessionReuseView } from './contract/models.js';

/**
 * A server clock this far from this computer's is worth a word: Ferry compares file times across the
 * two ("newer" conflicts, sync), and a partner's scheduled pick-ups run by the server's clock.
 */
export const CLOCK_SKEW_TOLD_FROM_MS = 60_000;

/** The server's clock in words: "7 minutes behind this computer's", or why it was not read. */
export function clockWords(clock: ClockCheckView): string {
  if (clock.kind === 'unmeasured') return `Not measured: ${clock.reason}`;
  const left = clock.removed ? '' : ` (Ferry could not remove its check file ${clock.file} from the login folder)`;
  if (Math.abs(clock.skewMs) < CLOCK_SKEW_TOLD_FROM_MS) return `In step with this computer’s (within a minute)${left}`;
  const minutes = Math.round(Math.abs(clock.skewMs) / 60_000);
  return `${minutes} minute${minutes === 1 ? '' : 's'} ${clock.skewMs > 0 ? 'ahead of' : 'behind'} this computer’s${left}`;
}

/** Whether an FTPS server's data connections resume the sign-in's TLS session, in words. */
export function tlsSessionReuseWords(reuse: TlsSessionReuseView): string {
  switch (reuse) {
    case 'required':
      return 'The server requires TLS session reuse on data connections; Ferry reuses the sign-in’s session';
    case 'supported':
      return 'The server supports TLS session reuse on data connections and does not require it';
    case 'unsupported':
      return 'The server does not support TLS session reuse: each file transfer makes a new TLS handshake';
  }
}
