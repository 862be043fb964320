import { verify } from 'node:crypto';
import type { SandboxUser } from '../context.js';
import { oauthError, type SfHttpError } from '../http/respond.js';
import type { OAuthClient } from '../oauth.js';

export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

export interface JwtBearerContext {
  readonly clients: ReadonlyMap<string, OAuthClient>;
  findUser(username: string): SandboxUser | undefined;
  /** The login URL the assertion must name as its audience. */
  readonly audience: string;
  readonly now: number;
}

function invalidAssertion(): SfHttpError {
  return oauthError(400, 'invalid_grant', 'invalid assertion');
}

function decodeSegment(segment: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  } catch {
    throw invalidAssertion();
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalidAssertion();
  return value as Record<string, unknown>;
}

function signatureHolds(signingInput: string, signature: string, publicKeyPem: string): boolean {
  try {
    return verify('RSA-SHA256', Buffer.from(signingInput, 'utf8'), publicKeyPem, Buffer.from(signature, 'base64url'));
  } catch {
    // A key that does not parse cannot vouch for anything.
    return false;
  }
}

/**
 * Checks an RS256 assertion in the order Salesforce reports failures: the issuing app, its signature,
 * the audience, the expiry, then the user. Salesforce rejects an expired `exp` and allows no skew.
 */
export function verifyJwtBearer(assertion: string, ctx: JwtBearerContext): { client: OAuthClient; user: SandboxUser } {
  const parts = assertion.split('.');
  const [headerPart, claimsPart, signaturePart] = parts;
  if (parts.length !== 3 || headerPart === undefined || claimsPart === undefined || signaturePart === undefined) {
    throw invalidAssertion();
  }
  const header = decodeSegment(headerPart);
  const claims = decodeSegment(claimsPart);
  if (header['alg'] !== 'RS256') throw invalidAssertion();

  const iss = claims['iss'];
  const client = typeof iss === 'string' ? ctx.clients.get(iss) : undefined;
  if (client === undefined) throw oauthError(400, 'invalid_client_id', 'client identifier invalid');
  if (client.jwtPublicKeyPem === undefined || !signatureHolds(`${headerPart}.${claimsPart}`, signaturePart, client.jwtPublicKeyPem)) {
    throw invalidAssertion();
  }

  const aud = claims['aud'];
  const audiences: ReadonlyArray<unknown> = typeof aud === 'string' ? [aud] : Array.isArray(aud) ? aud : [];
  const accepted = [ctx.audience, `${ctx.audience}/`];
  if (!audiences.some((a) => typeof a === 'string' && accepted.includes(a))) {
    throw oauthError(400, 'invalid_grant', 'audience is invalid');
  }

  const exp = claims['exp'];
  if (typeof exp !== 'number' || !Number.isFinite(exp)) throw invalidAssertion();
  if (exp * 1000 <= ctx.now) throw oauthError(400, 'invalid_grant', 'expired authorization code');

  const sub = claims['sub'];
  const user = typeof sub === 'string' ? ctx.findUser(sub) : undefined;
  if (user === undefined) throw oauthError(400, 'invalid_grant', "user hasn't approved this consumer");
  return { client, user };
}
