import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DEFAULT_SETTINGS, type SandboxContext, type SandboxSettings, type SandboxUser } from './context.js';
import { FaultInjector, type FaultRule } from './faults.js';
import { apiError, sendError, SfHttpError } from './http/respond.js';
import { Router } from './http/router.js';
import { ApiLimits } from './limits.js';
import { OAuthService, type OAuthClient } from './oauth.js';
import { OrgStore } from './OrgStore.js';
import { registerAdminRoutes } from './routes/admin.js';
import { registerRestRoutes } from './routes/rest.js';
import { registerS3Routes } from './sdrive/s3.js';
import { registerSDriveRoutes } from './sdrive/sdrive.js';
import { buildSchema } from './schema.js';
import { seedDemo } from './seed/demo.js';
import { ValidationRules } from './validationRules.js';

export interface SandboxOptions {
  /** 0 (the default) picks a free port. */
  readonly port?: number;
  /** Where the org is kept between runs; a temporary folder, removed on close, when absent. */
  readonly dataDir?: string;
  /** 'demo' fills a new org with realistic records; an existing org is never reseeded. */
  readonly seed?: 'demo' | 'empty';
  /** Adds the S-Drive objects, Apex REST resource and the S3-style bucket. */
  readonly sdrive?: boolean;
  readonly settings?: Partial<SandboxSettings>;
}

export interface Sandbox {
  readonly url: string;
  readonly context: SandboxContext;
  readonly oauth: OAuthService;
  readonly faults: FaultInjector;
  /** Sent as `X-Sandbox-Admin` to reach the `/__sandbox/` control routes. */
  readonly adminKey: string;
  /** The client id and private key that the JWT bearer flow accepts, for headless connections. */
  readonly jwt: { readonly clientId: string; readonly keyFile: string };
  /** Requests answered per route, counted or not: what tests read to prove call budgets. */
  readonly requests: ReadonlyMap<string, number>;
  close(): Promise<void>;
}

/** API versions the sandbox advertises, oldest first, as `GET /services/data/` lists them. */
export const API_VERSIONS = ['58.0', '59.0', '60.0', '61.0', '62.0', '63.0', '64.0'] as const;
export const DESKTOP_CLIENT_ID = 'FerryDesktop';
export const JWT_CLIENT_ID = 'FerryHeadless';

const COUNTED = /^\/services\/(?:data\/v\d+\.\d+(?:\/|$)|apexrest\/)/;

/** Starts the Salesforce API sandbox on 127.0.0.1. */
export async function startSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  const sdrive = opts.sdrive ?? false;
  const ephemeral = opts.dataDir === undefined;
  const dir = opts.dataDir ?? (await mkdtemp(join(tmpdir(), 'ferry-sandbox-')));
  const store = await OrgStore.open(buildSchema({ sdrive }), dir, ephemeral);
  const settings: SandboxSettings = { ...DEFAULT_SETTINGS, ...savedSettings(store), ...opts.settings };
  const isNew = store.isEmpty;
  const { orgId, users } = ensureOrg(store);
  const defaultUser = users[0];
  if (defaultUser === undefined) throw new Error('The sandbox org has no user');
  const limits = new ApiLimits(settings);
  const validationRules = new ValidationRules();
  let baseUrl = '';
  // The token service needs the context to exist first; requests reach it through the holder.
  const holder: { oauth?: OAuthService } = {};
  const context: SandboxContext = {
    store,
    settings,
    orgId,
    defaultUser,
    users,
    baseUrl: () => baseUrl,
    latestVersion: API_VERSIONS[API_VERSIONS.length - 1] ?? '64.0',
    apiVersions: API_VERSIONS,
    authenticate: (authorization) => {
      if (holder.oauth === undefined) throw apiError(503, 'SERVER_UNAVAILABLE', 'The sandbox is starting');
      return holder.oauth.authenticate(authorization);
    },
    countApiCall: () => limits.count(),
    limitInfo: () => limits.header(),
    validationRules,
  };
  const jwtKeys = await jwtKeyPair(dir);
  const clients: OAuthClient[] = [
    { clientId: DESKTOP_CLIENT_ID, redirectUris: 'loopback' },
    { clientId: 'PlatformCLI', redirectUris: 'loopback' },
    { clientId: JWT_CLIENT_ID, redirectUris: [], jwtPublicKeyPem: jwtKeys.publicKeyPem },
  ];
  const service = new OAuthService(context, clients);
  holder.oauth = service;
  const faults = new FaultInjector();
  const adminKey = randomBytes(16).toString('hex');
  const requests = new Map<string, number>();

  const router = new Router();
  service.register(router);
  registerAdminRoutes(router, context, { adminKey, faults, oauth: service, requests });
  registerRestRoutes(router, context);
  if (sdrive) {
    registerSDriveRoutes(router, context);
    registerS3Routes(router, context);
  }
  if (isNew && opts.seed === 'demo') await seedDemo(context, { sdrive });

  const server = createServer((req, res) => {
    void handle(router, context, limits, faults, requests, req, res);
  });
  // Multipart uploads of 2 GB take minutes: the real API allows 10 minutes per request.
  server.requestTimeout = 10 * 60 * 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: baseUrl,
    context,
    oauth: service,
    faults,
    adminKey,
    jwt: { clientId: JWT_CLIENT_ID, keyFile: jwtKeys.privateKeyFile },
    requests,
    close: async () => {
      await closeServer(server);
      store.extra['settings'] = { ...settings };
      store.touch();
      await store.close();
    },
  };
}

async function handle(
  router: Router,
  ctx: SandboxContext,
  limits: ApiLimits,
  faults: FaultInjector,
  requests: Map<string, number>,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const url = new URL(req.url ?? '/', ctx.baseUrl());
  const method = req.method ?? 'GET';
  // `latest` stands for the newest version everywhere after this, routes included.
  if (url.pathname.startsWith('/services/data/latest')) url.pathname = url.pathname.replace('/latest', `/v${ctx.latestVersion}`);
  const pathname = url.pathname;
  let finish: (() => void) | undefined;
  try {
    const counted = COUNTED.test(pathname);
    // Open from arrival: a request held up by a slow answer (an injected delay) is a long-running one.
    if (counted) finish = limits.open();
    const fault = faults.take(method, pathname);
    if (fault !== undefined && (await applyFault(fault, req, res))) return;
    const match = router.match(method, pathname);
    if (match === undefined) throw apiError(404, 'NOT_FOUND', 'The requested resource does not exist');
    if (match === 'method') throw apiError(405, 'METHOD_NOT_ALLOWED', `HTTP Method '${method}' not allowed.`);
    requests.set(match.label, (requests.get(match.label) ?? 0) + 1);
    let principal;
    if (counted) {
      principal = ctx.authenticate(req.headers.authorization);
      try {
        ctx.countApiCall();
      } finally {
        // Every REST answer carries the usage, REQUEST_LIMIT_EXCEEDED included.
        res.setHeader('Sforce-Limit-Info', ctx.limitInfo());
      }
    }
    await match.handler({ method, url, params: match.params, raw: req, principal }, res);
  } catch (e) {
    if (res.headersSent || res.destroyed) {
      res.destroy();
      return;
    }
    if (e instanceof SfHttpError) {
      sendError(res, e);
    } else {
      const errorId = randomBytes(6).toString('hex');
      process.stderr.write(`sandbox: ${method} ${pathname} failed (ErrorId ${errorId}): ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      sendError(res, apiError(500, 'UNKNOWN_EXCEPTION', `An unexpected error occurred. Please include this ErrorId if you contact support: ${errorId}`));
    }
  } finally {
    finish?.();
  }
}

/** Applies an injected fault; true when the request is finished with it. */
async function applyFault(fault: FaultRule, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  if (fault.delayMs !== undefined) await sleep(fault.delayMs);
  if (fault.cutAfterBodyBytes !== undefined) {
    const cutAt = fault.cutAfterBodyBytes;
    let seen = 0;
    await new Promise<void>((resolve) => {
      const onData = (chunk: Buffer): void => {
        seen += chunk.length;
        if (seen >= cutAt) {
          req.off('data', onData);
          req.socket.destroy();
          resolve();
        }
      };
      req.on('data', onData);
      req.once('end', () => {
        req.socket.destroy();
        resolve();
      });
      req.once('close', () => resolve());
    });
    return true;
  }
  if (fault.status !== undefined) {
    req.resume();
    sendError(res, apiError(fault.status, fault.errorCode ?? 'SERVER_UNAVAILABLE', fault.message ?? 'Injected failure'));
    return true;
  }
  if (fault.cutAfterCommit === true) {
    // The request is handled in full, but its answer never leaves: the client cannot know it succeeded.
    res.writeHead = () => {
      res.socket?.destroy();
      return res;
    };
  }
  return false;
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

function savedSettings(store: OrgStore): Partial<SandboxSettings> {
  const saved = store.extra['settings'];
  return typeof saved === 'object' && saved !== null ? saved : {};
}

/** The Organization and its users, created on the first start of a data folder. */
function ensureOrg(store: OrgStore): { orgId: string; users: SandboxUser[] } {
  const saved = store.extra['org'];
  if (isSavedOrg(saved)) return saved;
  const orgDef = store.schema.object('Organization');
  const userDef = store.schema.object('User');
  if (orgDef === undefined || userDef === undefined) throw new Error('The sandbox schema lacks Organization or User');
  const people = [
    { username: 'ops@ferry-sandbox.example', first: 'Olivia', last: 'Ops', email: 'ops@ferry-sandbox.example' },
    { username: 'integration@ferry-sandbox.example', first: 'Integration', last: 'User', email: 'integration@ferry-sandbox.example' },
  ];
  const org = store.insert(orgDef, { Name: 'Ferry Sandbox Org' }, '005000000000000AAA');
  const users = people.map((p) => {
    const u = store.insert(
      userDef,
      { Username: p.username, FirstName: p.first, LastName: p.last, Name: `${p.first} ${p.last}`, Email: p.email },
      '005000000000000AAA',
    );
    return { id: u.Id, username: p.username, displayName: `${p.first} ${p.last}`, email: p.email };
  });
  const created = { orgId: org.Id, users };
  store.extra['org'] = created;
  store.touch();
  return created;
}

/** The sandbox's JWT signing key pair, kept in its data folder so the printed connect command keeps working. */
async function jwtKeyPair(dir: string): Promise<{ publicKeyPem: string; privateKeyFile: string }> {
  const keyDir = join(dir, 'jwt');
  const privateKeyFile = join(keyDir, 'ferry-sandbox.key');
  const publicKeyFile = join(keyDir, 'ferry-sandbox.pub');
  try {
    return { publicKeyPem: await readFile(publicKeyFile, 'utf8'), privateKeyFile };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  const { publicKey, privateKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  await mkdir(keyDir, { recursive: true, mode: 0o700 });
  await writeFile(privateKeyFile, privateKey, { mode: 0o600 });
  await writeFile(publicKeyFile, publicKey);
  return { publicKeyPem: publicKey, privateKeyFile };
}

function isSavedOrg(value: unknown): value is { orgId: string; users: SandboxUser[] } {
  return typeof value === 'object' && value !== null && typeof (value as { orgId?: unknown }).orgId === 'string';
}
