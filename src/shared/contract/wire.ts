import { z } from 'zod';
import { TRANSFER_ERROR_KINDS } from '../model/errorKinds.js';

/**
 * What can go wrong in a command, as one closed list: the engine's own kinds, plus `badRequest` (the
 * payload did not match the command's schema), `unknownCommand` and `internal` (a bug, never a user error).
 */
const HOST_ERROR_KINDS = [...TRANSFER_ERROR_KINDS, 'badRequest', 'unknownCommand', 'internal'] as const;

export const wireErrorSchema = z.strictObject({
  kind: z.enum(HOST_ERROR_KINDS),
  /** One sentence a coordinator can act on: what happened, to which file or server, what to try. */
  message: z.string(),
  /** Whether the same command may succeed if simply tried again. */
  retryable: z.boolean(),
  /** The file the error concerns, where there is one (connector-relative). */
  path: z.string().optional(),
});
export type WireError = z.infer<typeof wireErrorSchema>;

/**
 * Every command's answer, on every transport: a value, or an error as data. Thrown errors lose all but
 * their message across Electron's `invoke` and do not exist over HTTP, so nothing is thrown across.
 */
export type Wire<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: WireError };

export function ok<T>(value: T): Wire<T> {
  return { ok: true, value };
}

export function fail(error: WireError): Wire<never> {
  return { ok: false, error };
}

/** Checks that an answer that crossed a transport has the shape of `Wire`, with `value` checked by `schema`. */
export function parseWire<T>(schema: z.ZodType<T>, raw: unknown): Wire<T> {
  const shape = z.union([z.strictObject({ ok: z.literal(true), value: z.unknown() }), z.strictObject({ ok: z.literal(false), error: wireErrorSchema })]);
  const parsed = shape.safeParse(raw);
  if (!parsed.success) return fail({ kind: 'internal', message: 'The host answered in a shape Ferry does not know', retryable: false });
  if (!parsed.data.ok) return parsed.data;
  const value = schema.safeParse(parsed.data.value);
  return value.success ? ok(value.data) : fail({ kind: 'internal', message: `The host's answer did not match its contract: ${value.error.issues[0]?.message ?? 'unknown problem'}`, retryable: false });
}
