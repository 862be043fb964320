import { readFile } from 'node:fs/promises';
import { ApiBudget, DEFAULT_BUDGET, type ApiBudgetOptions } from '../../src/connectors/salesforce/ApiBudget.js';
import { SalesforceFilesFs, type SalesforceFilesOptions } from '../../src/connectors/salesforce/SalesforceFilesFs.js';
import { SalesforceSession } from '../../src/connectors/salesforce/SalesforceSession.js';
import type { SandboxSettings } from '../../src/sandbox/context.js';
import type { FaultRule } from '../../src/sandbox/faults.js';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/server.js';
import type { ValidationRule } from '../../src/sandbox/validationRules.js';

// jsforce sends its calls through a proxy named in the environment: the sandbox is on loopback.
for (const name of ['HTTP_PROXY', 'HTTPS_PROXY', 'http_proxy', 'https_proxy']) delete process.env[name];

export interface SandboxState {
  readonly apiCalls: number;
  readonly records: { readonly ContentVersion: number; readonly ContentDocument: number };
  readonly fileStorageBytes: number;
}

/** The sandbox's control routes, driven over HTTP as any client would. */
export class SandboxAdmin {
  readonly #sandbox: Sandbox;

  constructor(sandbox: Sandbox) {
    this.#sandbox = sandbox;
  }

  async #call(method: string, path: string, body?: unknown): Promise<Response> {
    const response = await fetch(`${this.#sandbox.url}/__sandbox/${path}`, {
      method,
      headers: { 'X-Sandbox-Admin': this.#sandbox.adminKey, 'Content-Type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!response.ok) throw new Error(`sandbox admin ${method} ${path}: ${response.status} ${await response.text()}`);
    return response;
  }

  async state(): Promise<SandboxState> {
    return (await (await this.#call('GET', 'state')).json()) as SandboxState;
  }

  async settings(patch: Partial<SandboxSettings>): Promise<void> {
    await this.#call('POST', 'settings', patch);
  }

  async fault(rule: Partial<FaultRule> & { path: string }): Promise<void> {
    await this.#call('POST', 'faults', rule);
  }

  async validationRule(rule: ValidationRule): Promise<void> {
    await this.#call('POST', 'validation-rules', rule);
  }

  async expireTokens(): Promise<void> {
    await this.#call('POST', 'expire-tokens');
  }
}

export interface TestOrg {
  readonly sandbox: Sandbox;
  readonly admin: SandboxAdmin;
  readonly privateKeyPem: string;
  /** A fresh signed-in session (JWT bearer, as a headless run signs in). */
  session(budget?: Partial<ApiBudgetOptions>): SalesforceSession;
  files(options?: Partial<SalesforceFilesOptions> & { budget?: Partial<ApiBudgetOptions> }): SalesforceFilesFs;
  close(): Promise<void>;
}

export async function startTestOrg(opts: SandboxOptions = { seed: 'demo' }): Promise<TestOrg> {
  const sandbox = await startSandbox(opts);
  const privateKeyPem = await readFile(sandbox.jwt.keyFile, 'utf8');
  const session = (budget: Partial<ApiBudgetOptions> = {}): SalesforceSession =>
    new SalesforceSession({
      auth: { kind: 'jwt', clientId: sandbox.jwt.clientId, loginUrl: sandbox.url, username: sandbox.context.defaultUser.username, privateKeyPem },
      apiVersion: '64.0',
      budget: new ApiBudget({ ...DEFAULT_BUDGET, ...budget }),
    });
  return {
    sandbox,
    admin: new SandboxAdmin(sandbox),
    privateKeyPem,
    session,
    files: (options = {}) => new SalesforceFilesFs({ description: 'salesforce://test', ...options, session: options.session ?? session(options.budget) }),
    close: () => sandbox.close(),
  };
}
