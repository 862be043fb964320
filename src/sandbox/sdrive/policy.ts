import { z } from 'zod';
import { accessDenied, S3Failure } from './s3Errors.js';
import { SIGNING_ALGORITHM } from './signing.js';

/** S3's cap on one POST upload; S-Drive's REST resource offers no multipart upload. */
export const MAX_POST_BYTES = 5 * 1024 ** 3;
/** How long an initialize call's upload policy stays good. */
export const POLICY_LIFETIME_MS = 15 * 60 * 1000;

const ConditionSchema = z.union([
  z.record(z.string(), z.string()),
  z.tuple([z.string(), z.union([z.string(), z.number()]), z.union([z.string(), z.number()])]),
]);
const PolicySchema = z.object({ expiration: z.string(), conditions: z.array(ConditionSchema) });
export type PostPolicy = z.infer<typeof PolicySchema>;
type Condition = z.infer<typeof ConditionSchema>;

export interface UploadGrant {
  readonly bucket: string;
  readonly key: string;
  readonly maxBytes: number;
  readonly credential: string;
  /** The `x-amz-date` of the grant. */
  readonly date: string;
  readonly expiresAt: Date;
}

/** The policy an initialize call hands out for one file: its key only, private, encrypted, size-capped. */
export function uploadPolicy(grant: UploadGrant): PostPolicy {
  return {
    expiration: grant.expiresAt.toISOString(),
    conditions: [
      { bucket: grant.bucket },
      ['eq', '$key', grant.key],
      { acl: 'private' },
      { 'x-amz-server-side-encryption': 'AES256' },
      ['content-length-range', 0, grant.maxBytes],
      ['starts-with', '$Content-Type', ''],
      ['starts-with', '$Content-Disposition', ''],
      { 'x-amz-algorithm': SIGNING_ALGORITHM },
      { 'x-amz-credential': grant.credential },
      { 'x-amz-date': grant.date },
    ],
  };
}

export function encodePolicy(policy: PostPolicy): string {
  return Buffer.from(JSON.stringify(policy), 'utf8').toString('base64');
}

/** Form fields S3 never asks a policy to name. */
const UNCHECKED_FIELDS = new Set(['policy', 'x-amz-signature', 'file']);
/**
 * Values a form may leave out. The vendor's list of form fields names no `acl`, and S3 stores an
 * object without one as private, so an absent `acl` meets the `private` condition.
 */
const FIELD_DEFAULTS: Readonly<Record<string, string>> = { acl: 'private' };

function invalidPolicy(message: string): S3Failure {
  return new S3Failure(400, 'InvalidPolicyDocument', `Invalid Policy: ${message}`);
}

/**
 * Holds a form (field names in lower case) to its base64 policy as S3 does: the policy must be live,
 * every condition met and every field named by a condition. Returns the allowed body size.
 */
export function enforcePolicy(
  policyBase64: string,
  form: ReadonlyMap<string, string>,
  bucket: string,
  now: Date,
): { readonly minBytes: number; readonly maxBytes: number } {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(policyBase64, 'base64').toString('utf8')) as unknown;
  } catch {
    throw invalidPolicy('Invalid JSON.');
  }
  const parsed = PolicySchema.safeParse(decoded);
  if (!parsed.success) throw invalidPolicy('Invalid Policy Document.');
  const expiration = Date.parse(parsed.data.expiration);
  if (Number.isNaN(expiration)) throw invalidPolicy('Invalid \'expiration\' value.');
  if (expiration <= now.getTime()) throw accessDenied('Invalid according to Policy: Policy expired.');

  const valueOf = (name: string): string => (name === 'bucket' ? bucket : (form.get(name) ?? FIELD_DEFAULTS[name] ?? ''));
  const named = new Set<string>();
  let minBytes = 0;
  let maxBytes = MAX_POST_BYTES;
  const check = (condition: Condition, name: string, met: (value: string) => boolean): void => {
    named.add(name);
    if (!met(valueOf(name))) throw accessDenied(`Invalid according to Policy: Policy Condition failed: ${JSON.stringify(condition)}`);
  };
  for (const condition of parsed.data.conditions) {
    if (!Array.isArray(condition)) {
      for (const [name, expected] of Object.entries(condition)) check(condition, name.toLowerCase(), (v) => v === expected);
      continue;
    }
    const [operator, first, second] = condition;
    if (operator.toLowerCase() === 'content-length-range') {
      minBytes = Number(first);
      maxBytes = Number(second);
      continue;
    }
    if (typeof first !== 'string' || !first.startsWith('$')) throw invalidPolicy(`Invalid condition ${JSON.stringify(condition)}.`);
    const name = first.slice(1).toLowerCase();
    const expected = String(second);
    if (operator.toLowerCase() === 'eq') check(condition, name, (v) => v === expected);
    else if (operator.toLowerCase() === 'starts-with') check(condition, name, (v) => v.startsWith(expected));
    else throw invalidPolicy(`Unknown operator ${operator}.`);
  }
  for (const name of form.keys()) {
    if (UNCHECKED_FIELDS.has(name) || name.startsWith('x-ignore-') || named.has(name)) continue;
    throw accessDenied(`Invalid according to Policy: Extra input fields: ${name}`);
  }
  return { minBytes, maxBytes };
}
