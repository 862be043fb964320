import type { Command } from 'commander';
import { isValidConnectionName, type SalesforceConnectionConfig } from '../../config/ConnectionStore.js';
import { readUserFile } from '../../config/readUserFile.js';
import { TransferError } from '../../connectors/errors.js';
import { openInBrowser } from '../../workspace/systemBrowser.js';
import type { Workspace } from '../../workspace/Workspace.js';
import { print, warn, type CliIo } from '../io.js';

interface SalesforceAddOptions {
  readonly login: string;
  readonly clientId: string;
  readonly jwtKey?: string;
  readonly username?: string;
  readonly browser: boolean;
  readonly apiVersion: string;
  readonly maxUploads?: string;
  readonly port?: string;
  readonly sdrive?: boolean;
  readonly sdriveObject: string[];
}

/** `Order=OrderFile__c:Parent__c`: the S-Drive file object an administrator created for an object. */
function parseSDriveObject(text: string): { object: string; fileObject: string; parentField: string } {
  const m = /^([A-Za-z][\w]*)=([A-Za-z][\w]*):([A-Za-z][\w]*)$/.exec(text);
  if (m?.[1] === undefined || m[2] === undefined || m[3] === undefined) {
    throw new TransferError('config', `--sdrive-object takes Object=FileObject:ParentField (e.g. Order=OrderFile__c:Parent__c), not "${text}"`);
  }
  return { object: m[1], fileObject: m[2], parentField: m[3] };
}

/** The API version Ferry speaks unless told otherwise (jsforce's own default is years old). */
export const DEFAULT_API_VERSION = '64.0';
/** The External Client App administrators install for Ferry (PKCE, loopback callback, `api refresh_token`). */
export const DEFAULT_CLIENT_ID = 'FerryDesktop';

const LOGIN_HOSTS: Readonly<Record<string, string>> = {
  production: 'https://login.salesforce.com',
  sandbox: 'https://test.salesforce.com',
};

/** production, sandbox, a My Domain host or URL, or a local sandbox's http://127.0.0.1 URL. */
export function loginUrlOf(value: string): string {
  const named = LOGIN_HOSTS[value];
  if (named !== undefined) return named;
  const withScheme = /^https?:\/\//.test(value) ? value : `https://${value}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new TransferError('config', `--login takes production, sandbox, a My Domain (acme.my.salesforce.com) or a URL, not "${value}"`);
  }
  const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost';
  if (url.protocol === 'http:' && !loopback) throw new TransferError('config', `Salesforce sign-in must use https: ${url.origin}`);
  return url.origin;
}

export function registerSalesforceConnectionCommand(connection: Command, io: CliIo, workspace: () => Workspace, signal: AbortSignal): void {
  connection
    .command('salesforce <name>')
    .description('sign in to a Salesforce org and save it as a connection (browser login with PKCE, or JWT for headless runs)')
    .option('--login <where>', 'production, sandbox, a My Domain (acme.my.salesforce.com) or a local sandbox URL', 'production')
    .option('--client-id <id>', "the org's External Client App consumer key for Ferry", DEFAULT_CLIENT_ID)
    .option('--jwt-key <pem>', 'headless: sign in with the JWT bearer flow using this private key')
    .option('--username <user>', 'headless: the user the JWT bearer flow acts as')
    .option('--no-browser', 'print the login URL instead of opening the browser')
    .option('--port <n>', 'loopback port for the login callback (0 picks a free one)', '0')
    .option('--api-version <v>', 'Salesforce REST API version', DEFAULT_API_VERSION)
    .option('--max-uploads <n>', 'uploads at once (large ones count against the long-running request limit)')
    .option('--sdrive', "use S-Drive's file objects (bytes in S3) instead of Salesforce Files")
    .option('--sdrive-object <Object=FileObject:ParentField>', 'S-Drive: a custom file object, e.g. Order=OrderFile__c:Parent__c (repeatable)', (v: string, all: string[]) => [...all, v], [])
    .action(async (name: string, opts: SalesforceAddOptions) => {
      if (!isValidConnectionName(name)) {
        throw new TransferError('config', `Invalid connection name "${name}": use letters, digits, '.', '_' or '-'`);
      }
      if (!/^\d{2,3}\.0$/.test(opts.apiVersion)) throw new TransferError('config', `--api-version takes a version such as ${DEFAULT_API_VERSION}`);
      const loginUrl = loginUrlOf(opts.login);
      const maxUploads = opts.maxUploads === undefined ? undefined : Number(opts.maxUploads);
      if (maxUploads !== undefined && (!Number.isInteger(maxUploads) || maxUploads < 1 || maxUploads > 25)) {
        throw new TransferError('config', '--max-uploads takes a whole number from 1 to 25');
      }
      if (opts.sdriveObject.length > 0 && opts.sdrive !== true) throw new TransferError('config', '--sdrive-object needs --sdrive');
      const sdriveObjects = opts.sdriveObject.map(parseSDriveObject);
      const base = {
        name,
        kind: 'salesforce' as const,
        loginUrl,
        clientId: opts.clientId,
        apiVersion: opts.apiVersion,
        root: '',
        mode: opts.sdrive === true ? ('sdrive' as const) : ('files' as const),
        ...(sdriveObjects.length > 0 ? { sdriveObjects } : {}),
        ...(maxUploads === undefined ? {} : { maxConnections: maxUploads }),
      };
      let config: SalesforceConnectionConfig;
      let refreshToken: string | undefined;
      if (opts.jwtKey !== undefined || opts.username !== undefined) {
        if (opts.jwtKey === undefined || opts.username === undefined) throw new TransferError('config', 'JWT sign-in needs both --jwt-key and --username');
        await readUserFile(opts.jwtKey, 'JWT private key');
        config = { ...base, auth: 'jwt', username: opts.username, jwtKeyFile: opts.jwtKey };
      } else {
        const { loopbackLogin } = await import('../../connectors/salesforce/loopbackLogin.js');
        const tokens = await loopbackLogin({
          loginUrl,
          clientId: opts.clientId,
          port: Number(opts.port ?? '0'),
          signal,
          openUrl: async (url) => {
            if (opts.browser && (await openInBrowser(url))) {
              warn(io, 'Sign in to Salesforce in the browser window that opened (waiting up to 2 minutes)...');
              return;
            }
            print(io, 'Open this address in a browser and sign in (waiting up to 2 minutes):');
            print(io, url);
          },
        });
        if (tokens.refreshToken === undefined) {
          throw new TransferError('auth', 'Salesforce gave no refresh token: the app must grant the refresh_token scope');
        }
        refreshToken = tokens.refreshToken;
        config = { ...base, auth: 'oauth', instanceUrl: tokens.instanceUrl };
      }
      const ws = workspace();
      const existed = (await ws.connections.get(name)) !== undefined;
      await ws.saveConnection(config, refreshToken === undefined ? {} : { refreshToken });
      try {
        const fs = await ws.open(name);
        try {
          const report = await fs.report?.();
          print(io, `Saved connection "${name}": ${fs.description}`);
          if (report?.banner !== undefined) print(io, `  ${report.banner}`);
          for (const f of report?.features ?? []) print(io, `  ${f}`);
          print(io, `Try: ferry ls ${name}:`);
        } finally {
          await fs.close();
        }
      } catch (e) {
        if (!existed) await ws.removeConnection(name);
        throw e;
      }
    });
}
