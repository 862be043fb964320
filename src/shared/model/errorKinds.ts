/**
 * The protocol-neutral error taxonomy every connector maps its failures onto.
 * Shared with the UI, so it lives in the isomorphic folder.
 */
export const TRANSFER_ERROR_KINDS = [
  'auth',
  'notFound',
  'exists',
  'permission',
  'quota',
  'network',
  'timeout',
  'rateLimited',
  'protocol',
  'hostKey',
  'certificate',
  'unsafeName',
  'validation',
  'integrity',
  'cancelled',
  'unsupported',
  'config',
] as const;

export type TransferErrorKind = (typeof TRANSFER_ERROR_KINDS)[number];

/** Kinds that a later attempt may cure without anyone changing anything. */
export const RETRYABLE_KINDS: ReadonlySet<TransferErrorKind> = new Set(['network', 'timeout', 'rateLimited']);

/** Kinds that doom every other item of the same run too (wrong password, untrusted server). */
export const FATAL_KINDS: ReadonlySet<TransferErrorKind> = new Set(['auth', 'hostKey', 'certificate', 'config']);
