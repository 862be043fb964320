import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ferryPaths } from '../../src/config/ferryHome.js';
import type { LoadedJob } from '../../src/jobs/definition/loadJob.js';
import { parseJob } from '../../src/jobs/definition/loadJob.js';
import type { JobServices } from '../../src/jobs/JobServices.js';
import { runJob, type JobRunResult, type RunRequest } from '../../src/jobs/runJob.js';
import { jobServices } from '../../src/workspace/jobServices.js';
import { Workspace } from '../../src/workspace/Workspace.js';
import { runFerry, type FerryRun } from '../helpers/runFerry.js';

/** A Ferry data folder and a work folder for one test file, with the workspace opened on it. */
export interface JobWorld {
  readonly home: string;
  readonly work: string;
  readonly workspace: Workspace;
  ferry(args: ReadonlyArray<string>, stdin?: string): Promise<FerryRun>;
  /** Writes files below the work folder: path → content. */
  files(tree: Readonly<Record<string, string | Buffer>>): Promise<void>;
  /** Writes a job file into the work folder and reads it back. */
  job(yaml: string, file?: string): Promise<LoadedJob>;
  services(overrides?: Partial<JobServices>): Promise<JobServices>;
  run(job: LoadedJob, options?: Partial<RunRequest> & { services?: Partial<JobServices> }): Promise<JobRunResult>;
  close(): Promise<void>;
}

export async function jobWorld(label: string): Promise<JobWorld> {
  const home = await mkdtemp(join(tmpdir(), `ferry-${label}-home-`));
  const work = await mkdtemp(join(tmpdir(), `ferry-${label}-work-`));
  const workspace = new Workspace(ferryPaths({ FERRY_HOME: home }), { FERRY_HOME: home });
  const world: JobWorld = {
    home,
    work,
    workspace,
    ferry: (args, stdin) => runFerry(home, args, stdin),
    files: async (tree) => {
      for (const [path, content] of Object.entries(tree)) {
        await mkdir(dirname(join(work, path)), { recursive: true });
        await writeFile(join(work, path), content);
      }
    },
    job: async (yaml, file = 'job.yaml') => {
      const path = join(work, file);
      await writeFile(path, yaml);
      return parseJob(yaml, path);
    },
    services: async (overrides = {}) => ({ ...(await jobServices(workspace)), ...overrides }),
    run: async (job, options = {}) =>
      runJob(await world.services(options.services), { job, dryRun: options.dryRun ?? false, signal: options.signal ?? new AbortController().signal, ...(options.quarantined === undefined ? {} : { quarantined: options.quarantined }) }),
    close: async () => {
      workspace.close();
      await rm(home, { recursive: true, force: true });
      await rm(work, { recursive: true, force: true });
    },
  };
  return world;
}

export interface ReceivedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** An HTTP endpoint on loopback that records what it receives and answers with `status`. */
export interface Endpoint {
  readonly url: string;
  readonly received: ReceivedRequest[];
  status: number;
  close(): Promise<void>;
}

export async function startEndpoint(): Promise<Endpoint> {
  const received: ReceivedRequest[] = [];
  const endpoint = { url: '', received, status: 200, close: async () => {} } as Endpoint;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
      res.statusCode = endpoint.status;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return Object.assign(endpoint, {
    url: `http://127.0.0.1:${address.port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

/** Webhook notifications received, as Ferry posts them. */
export function notificationsIn(endpoint: Endpoint): Array<{ event: string; subject: string; facts: Record<string, unknown> }> {
  return endpoint.received.map((r) => JSON.parse(r.body.toString('utf8')) as { event: string; subject: string; facts: Record<string, unknown> });
}
