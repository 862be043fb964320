import { timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { fileStorageBytes } from '../api/files.js';
import type { SandboxContext } from '../context.js';
import { FaultRuleSchema, type FaultInjector } from '../faults.js';
import { asObject, readJson } from '../http/body.js';
import { apiError, sendEmpty, sendJson } from '../http/respond.js';
import type { Router, RouteRequest } from '../http/router.js';
import type { OAuthService } from '../oauth.js';
import { ValidationRuleSchema } from '../validationRules.js';

export interface AdminDeps {
  readonly adminKey: string;
  readonly faults: FaultInjector;
  readonly oauth: OAuthService;
  readonly requests: ReadonlyMap<string, number>;
}

const SettingsPatch = z
  .object({
    dailyApiLimit: z.number().int().min(0),
    apiUsed: z.number().int().min(0),
    fileStorageMb: z.number().min(0),
    queryPageSize: z.number().int().min(1).max(2000),
    accessTokenTtlMs: z.number().int().min(0),
    longRunningLimit: z.number().int().min(0),
    longRunningAfterMs: z.number().int().min(0),
    passwordFlowEnabled: z.boolean(),
  })
  .partial()
  .strict();

/**
 * The sandbox's control panel for tests and demos, under `/__sandbox/`: counters, settings, injected
 * faults, validation rules and token expiry. Guarded by the admin key so that only whoever started
 * the sandbox can steer it.
 */
export function registerAdminRoutes(router: Router, ctx: SandboxContext, deps: AdminDeps): void {
  const guard = (req: RouteRequest): void => {
    const given = Buffer.from(String(req.raw.headers['x-sandbox-admin'] ?? ''));
    const key = Buffer.from(deps.adminKey);
    if (given.length !== key.length || !timingSafeEqual(given, key)) {
      throw apiError(403, 'INSUFFICIENT_ACCESS', 'The X-Sandbox-Admin header is missing or wrong');
    }
  };
  const parse = async <T>(req: RouteRequest, schema: z.ZodType<T>): Promise<T> => {
    const result = schema.safeParse(asObject(await readJson(req.raw)));
    if (!result.success) throw apiError(400, 'INVALID_INPUT', z.prettifyError(result.error));
    return result.data;
  };

  router.add('GET', '/__sandbox/state', async (req, res) => {
    guard(req);
    const count = (type: string): number => [...ctx.store.all(type)].length;
    sendJson(res, 200, {
      settings: ctx.settings,
      apiCalls: ctx.settings.apiUsed,
      requests: Object.fromEntries(deps.requests),
      records: { ContentVersion: count('ContentVersion'), ContentDocument: count('ContentDocument') },
      fileStorageBytes: fileStorageBytes(ctx),
    });
  });
  router.add('POST', '/__sandbox/settings', async (req, res) => {
    guard(req);
    const patch = await parse(req, SettingsPatch);
    Object.assign(ctx.settings, Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)));
    sendJson(res, 200, ctx.settings);
  });
  router.add('POST', '/__sandbox/faults', async (req, res) => {
    guard(req);
    deps.faults.add(await parse(req, FaultRuleSchema));
    sendEmpty(res, 204);
  });
  router.add('DELETE', '/__sandbox/faults', async (req, res) => {
    guard(req);
    deps.faults.clear();
    sendEmpty(res, 204);
  });
  router.add('POST', '/__sandbox/validation-rules', async (req, res) => {
    guard(req);
    ctx.validationRules.add(await parse(req, ValidationRuleSchema));
    sendEmpty(res, 204);
  });
  router.add('DELETE', '/__sandbox/validation-rules', async (req, res) => {
    guard(req);
    ctx.validationRules.clear();
    sendEmpty(res, 204);
  });
  router.add('POST', '/__sandbox/expire-tokens', async (req, res) => {
    guard(req);
    deps.oauth.expireAccessTokens();
    sendEmpty(res, 204);
  });
}
