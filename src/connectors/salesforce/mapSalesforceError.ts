import { TransferError, mapNodeError } from '../errors.js';

/** The REST API's error entry, as jsforce hands it over in `error.data` or Salesforce sends it. */
export interface SalesforceErrorEntry {
  readonly errorCode: string;
  readonly message: string;
  readonly fields?: ReadonlyArray<string>;
}

const BY_CODE: Readonly<Record<string, ConstructorParameters<typeof TransferError>[0]>> = {
  INVALID_SESSION_ID: 'auth',
  INVALID_AUTH_HEADER: 'auth',
  REQUEST_LIMIT_EXCEEDED: 'rateLimited',
  STORAGE_LIMIT_EXCEEDED: 'quota',
  FIELD_CUSTOM_VALIDATION_EXCEPTION: 'validation',
  REQUIRED_FIELD_MISSING: 'validation',
  STRING_TOO_LONG: 'validation',
  FIELD_INTEGRITY_EXCEPTION: 'validation',
  DUPLICATE_VALUE: 'exists',
  INSUFFICIENT_ACCESS: 'permission',
  INSUFFICIENT_ACCESS_OR_READONLY: 'permission',
  INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY: 'permission',
  NOT_FOUND: 'notFound',
  ENTITY_IS_DELETED: 'notFound',
  INVALID_CROSS_REFERENCE_KEY: 'notFound',
  MALFORMED_ID: 'validation',
  MALFORMED_QUERY: 'protocol',
  INVALID_FIELD: 'config',
  INVALID_TYPE: 'config',
  JSON_PARSER_ERROR: 'validation',
  SERVER_UNAVAILABLE: 'network',
  UNKNOWN_EXCEPTION: 'network',
};

/** Reads the first error entry out of whatever jsforce or a raw response produced. */
export function errorEntryOf(e: unknown): SalesforceErrorEntry | undefined {
  const candidates: unknown[] = [];
  if (typeof e === 'object' && e !== null) {
    const record = e as Record<string, unknown>;
    candidates.push(record['data'], record);
  }
  for (const c of candidates) {
    const entry = Array.isArray(c) ? (c[0] as unknown) : c;
    if (typeof entry !== 'object' || entry === null) continue;
    const r = entry as Record<string, unknown>;
    const code = r['errorCode'] ?? r['statusCode'];
    if (typeof code === 'string' && typeof r['message'] === 'string') {
      return { errorCode: code, message: r['message'], ...(Array.isArray(r['fields']) ? { fields: r['fields'].map(String) } : {}) };
    }
  }
  return undefined;
}

/**
 * Maps a Salesforce failure onto the core taxonomy. `subject` names the file or record concerned, so
 * that a validation rule's message reaches the person who can fix that one file.
 */
export function mapSalesforceError(e: unknown, subject: string): TransferError {
  if (e instanceof TransferError) return e;
  const entry = errorEntryOf(e);
  if (entry !== undefined) {
    const kind = BY_CODE[entry.errorCode] ?? (entry.errorCode.startsWith('ERROR_HTTP_5') ? 'network' : 'protocol');
    const message =
      kind === 'validation'
        ? `Salesforce rejected ${subject}: ${entry.message} (${entry.errorCode})`
        : `${subject}: ${entry.message} (${entry.errorCode})`;
    return new TransferError(kind, message, { cause: e });
  }
  const node = mapNodeError(e, subject) ?? mapNodeError((e as { cause?: unknown } | undefined)?.cause, subject);
  if (node !== undefined) return node;
  const name = e instanceof Error ? e.name : '';
  if (name === 'AbortError') return new TransferError('cancelled', `Cancelled: ${subject}`, { cause: e });
  const text = e instanceof Error ? e.message : String(e);
  if (/fetch failed|socket|ECONNRESET|other side closed|terminated/i.test(text)) {
    return new TransferError('network', `Connection to Salesforce lost: ${subject} (${text})`, { cause: e });
  }
  return new TransferError('protocol', `${subject}: ${text}`, { cause: e });
}
