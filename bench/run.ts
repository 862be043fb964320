import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { cpus, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startTestServers, type StartedServers } from '../test/helpers/servers/index.js';
import {
  BIG_NAME,
  SMALL_DIR,
  createDataSet,
  resetFolder,
  seedServerFolder,
  verifyBig,
  verifySmall,
  type DataSet,
  type Verdict,
} from './data.js';
import { measureLimits, type Limits } from './limits.js';
import { cpuSnapshot, otherLoad, waitForQuiet } from './load.js';
import { killRunning, measure, runChecked, tail } from './measure.js';
import { FerryPeer, ferrySummary } from './peers/ferry.js';
import { LftpPeer } from './peers/lftp.js';
import { OpenSshPeer } from './peers/openssh.js';
import { RclonePeer } from './peers/rclone.js';
import type { DataKind, Direction, Job, Peer, Protocol, ServerAccess } from './peers/types.js';
import { markdownLimits, mbps, renderReport, rssMB, targetChecks, type RowResult, type RunResult, type StoredResults } from './report.js';

const USAGE = `npm run bench [-- options]
  --runs <n>          runs per tool and row; the fastest verified undisturbed one counts (default 2)
  --protocols <list>  sftp,ftp (default both)
  --data <list>       big,small (default both)
  --tools <list>      ferry,rclone,openssh-sftp,lftp (default all)
  --big-mib <n>       size of the large file in MiB (default 1024)
  --small-count <n>   number of small files (default 5000)
  --small-kib <n>     size of each small file in KiB (default 8)
  --report <file>     print the report of a results file from an earlier run, run nothing
  --quiet-wait <s>    on a shared machine, wait up to this many seconds in all for other processes to calm
                      down before runs (default 300; at most 30 s before any one run)`;

interface Options {
  readonly runs: number;
  readonly protocols: ReadonlyArray<Protocol>;
  readonly data: ReadonlyArray<DataKind>;
  readonly tools: ReadonlyArray<string> | undefined;
  readonly bigBytes: number;
  readonly smallCount: number;
  readonly smallBytes: number;
  readonly quietWaitMs: number;
  readonly report: string | undefined;
}

function parseOptions(argv: ReadonlyArray<string>): Options {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      runs: { type: 'string', default: '2' },
      protocols: { type: 'string', default: 'sftp,ftp' },
      data: { type: 'string', default: 'big,small' },
      tools: { type: 'string' },
      'big-mib': { type: 'string', default: '1024' },
      'small-count': { type: 'string', default: '5000' },
      'small-kib': { type: 'string', default: '8' },
      'quiet-wait': { type: 'string', default: '300' },
      report: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help === true) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const whole = (name: string, text: string, max: number): number => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < 1 || n > max) throw new Error(`--${name} takes a whole number from 1 to ${max}`);
    return n;
  };
  const list = <T extends string>(name: string, text: string, allowed: ReadonlyArray<T>): T[] => {
    const items = text.split(',').map((s) => s.trim()).filter((s) => s !== '');
    for (const item of items) if (!allowed.includes(item as T)) throw new Error(`--${name}: unknown "${item}" (use ${allowed.join(', ')})`);
    return items as T[];
  };
  return {
    runs: whole('runs', values.runs, 10),
    protocols: list<Protocol>('protocols', values.protocols, ['sftp', 'ftp']),
    data: list<DataKind>('data', values.data, ['big', 'small']),
    tools: values.tools === undefined ? undefined : list('tools', values.tools, ['ferry', 'rclone', 'openssh-sftp', 'lftp']),
    bigBytes: whole('big-mib', values['big-mib'], 16 * 1024) * 1024 * 1024,
    smallCount: whole('small-count', values['small-count'], 100_000),
    smallBytes: whole('small-kib', values['small-kib'], 1024) * 1024,
    report: values.report,
    quietWaitMs: (values['quiet-wait'] === '0' ? 0 : whole('quiet-wait', values['quiet-wait'], 24 * 3600)) * 1000,
  };
}

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** Written pages of the previous run must not be flushed to disk during the next one. */
async function settle(): Promise<void> {
  await runChecked({ command: '/bin/sync', args: [], timeoutMs: 120_000 });
}

interface Row {
  readonly protocol: Protocol;
  readonly data: DataKind;
  readonly direction: Direction;
}

function rowLabel(r: Row, data: DataSet): string {
  const what = r.data === 'big' ? `1 × ${(data.bigBytes / 1024 ** 3).toFixed(data.bigBytes % 1024 ** 3 === 0 ? 0 : 2)} GiB` : `${data.smallCount} × ${data.smallBytes / 1024} KiB`;
  return `${r.protocol.toUpperCase()} ${what} ${r.direction}`;
}

async function writeKnownHosts(path: string, host: string, port: number, keyLine: string): Promise<void> {
  await writeFile(path, `[${host}]:${port} ${keyLine}\n`, { mode: 0o600 });
}

/** Other processes' load (in cores) above which a run counts as disturbed. */
const QUIET_LOAD = 0.15;
/** On a shared machine other people's test runs come and go: wait for a gap, but not forever. */
const QUIET_WAIT_PER_RUN_MS = 30_000;
let quietWaitLeftMs = 0;

/**
 * One measured run into a destination folder of its own. Copies of the small files stay until the end:
 * here, creating 5,000 files right after deleting 5,000 others cost every tool about twice the system
 * time, which would make the order of the runs decide the result. A copy of the large file is deleted
 * once checked, so disk use stays small.
 */
async function runOne(
  peer: Peer,
  job: Job,
  attempt: number,
  data: DataSet,
  serverRoots: Map<Protocol, string>,
  downloads: string,
): Promise<RunResult> {
  const serverRoot = serverRoots.get(job.server.protocol) as string;
  const owner = await stat(serverRoot);
  const runId = `${job.server.protocol}-${job.data}-${job.direction}-${peer.name}-${attempt}`;
  const name = job.data === 'big' ? BIG_NAME : SMALL_DIR;
  if (job.direction === 'up') {
    await resetFolder(join(serverRoot, 'up', runId), { uid: owner.uid, gid: owner.gid });
    job = { ...job, remote: `up/${runId}/${name}` };
  } else {
    await resetFolder(join(downloads, runId));
    job = { ...job, local: join(downloads, runId, name) };
  }
  await settle();
  const quiet = await waitForQuiet(QUIET_LOAD, Math.min(QUIET_WAIT_PER_RUN_MS, quietWaitLeftMs));
  quietWaitLeftMs = Math.max(0, quietWaitLeftMs - quiet.waitedMs);
  if (quiet.load >= QUIET_LOAD) log(`  (other processes use ${quiet.load.toFixed(2)} cores; measuring anyway)`);

  const before = cpuSnapshot();
  const result = await measure(peer.command(job));
  const others = otherLoad(before, cpuSnapshot());
  const landed = job.direction === 'up' ? join(serverRoot, job.remote) : job.local;
  let verdict: Verdict;
  if (result.timedOut) verdict = { ok: false, detail: 'timed out' };
  else if (result.exitCode !== 0) verdict = { ok: false, detail: `exit ${result.exitCode ?? result.signal}: ${tail(result.stderr || result.stdout, 5)}` };
  else verdict = job.data === 'big' ? await verifyBig(landed, data) : await verifySmall(landed, data);
  if (job.data === 'big') await rm(landed, { force: true });
  if (verdict.ok && peer.name === 'ferry') {
    const summary = ferrySummary(result.stdout);
    const expected = job.data === 'big' ? 1 : data.smallCount;
    if (summary === undefined || summary.failed > 0 || summary.files !== expected) {
      verdict = { ok: false, detail: `Ferry's summary disagrees: ${JSON.stringify(summary)}` };
    }
  }
  return {
    tool: peer.name,
    attempt,
    seconds: result.seconds,
    peakRssKiB: result.peakRssKiB,
    cpuSeconds: result.cpuSeconds,
    exitCode: result.exitCode,
    otherLoad: others,
    ok: verdict.ok,
    detail: verdict.detail,
  };
}

async function main(): Promise<void> {
  const opts = parseOptions(process.argv.slice(2));
  if (opts.report !== undefined) {
    process.stdout.write(`${renderReport(JSON.parse(await readFile(opts.report, 'utf8')) as StoredResults)}\n`);
    return;
  }
  quietWaitLeftMs = opts.quietWaitMs;
  const startedAt = new Date();
  const t0 = performance.now();
  const peers = [new FerryPeer(), new RclonePeer(), new OpenSshPeer(), new LftpPeer()].filter(
    (p) => opts.tools === undefined || opts.tools.includes(p.name),
  );
  const work = await mkdtemp(join(tmpdir(), 'ferry-bench-'));
  let started: StartedServers | undefined;
  let interrupted = false;
  const onSignal = (): void => {
    interrupted = true;
    killRunning();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    log(`work folder ${work}`);
    log(`creating data: 1 × ${opts.bigBytes} B, ${opts.smallCount} × ${opts.smallBytes} B`);
    const data = await createDataSet(join(work, 'data'), {
      bigBytes: opts.bigBytes,
      smallCount: opts.smallCount,
      smallBytes: opts.smallBytes,
    });
    log('starting servers');
    started = await startTestServers();
    const { sftp, ftp } = started.servers;
    const plain = ftp['vsftpd-plain'];
    const knownHostsFile = join(work, 'known_hosts');
    await writeKnownHosts(knownHostsFile, sftp.host, sftp.port, sftp.hostKeyLine);

    const serverRoots = new Map<Protocol, string>();
    const access: ServerAccess[] = [];
    if (opts.protocols.includes('sftp')) {
      serverRoots.set('sftp', await seedServerFolder(sftp.home, data));
      access.push({
        protocol: 'sftp',
        host: sftp.host,
        port: sftp.port,
        user: sftp.user,
        password: sftp.password,
        root: `${sftp.home}/bench`,
        privateKeyPath: sftp.privateKeyPath,
        knownHostsFile,
        hostKeyLine: sftp.hostKeyLine,
      });
    }
    if (opts.protocols.includes('ftp')) {
      serverRoots.set('ftp', await seedServerFolder(plain.home, data));
      access.push({ protocol: 'ftp', host: plain.host, port: plain.port, user: plain.user, password: plain.password, root: '/bench' });
    }

    const descriptions: Record<string, string> = {};
    for (const peer of peers) {
      log(`preparing ${peer.name}`);
      await peer.prepare(access.filter((a) => peer.protocols.includes(a.protocol)), work);
      descriptions[peer.name] = await peer.describe();
    }

    log('measuring limits');
    const limits: Limits = await measureLimits(data.bigPath, data.bigBytes);
    log(markdownLimits(limits));

    const rows: Row[] = [];
    for (const protocol of opts.protocols) {
      for (const kind of opts.data) for (const direction of ['up', 'down'] as const) rows.push({ protocol, data: kind, direction });
    }
    const results: RowResult[] = [];
    const downloads = join(work, 'dl');
    for (const [index, row] of rows.entries()) {
      if (interrupted) break;
      const server = access.find((a) => a.protocol === row.protocol) as ServerAccess;
      const name = row.data === 'big' ? BIG_NAME : SMALL_DIR;
      // The destination side is filled in per run, in a folder of its own (see runOne).
      const job = (direction: Direction): Omit<Job, 'server'> =>
        direction === 'up'
          ? { direction, data: row.data, local: row.data === 'big' ? data.bigPath : data.smallPath, remote: `up/${name}` }
          : { direction, data: row.data, local: join(downloads, name), remote: `down/${name}` };
      const rowPeers = peers.filter((p) => p.protocols.includes(row.protocol));
      // Rotating the order keeps any effect of running first or last from always hitting the same tool.
      const order = rowPeers.map((_, i) => rowPeers[(i + index) % rowPeers.length] as Peer);
      const label = rowLabel(row, data);
      const runs: RunResult[] = [];
      for (let attempt = 1; attempt <= opts.runs && !interrupted; attempt++) {
        for (const peer of order) {
          if (interrupted) break;
          const r = await runOne(peer, { server, ...job(row.direction) }, attempt, data, serverRoots, downloads);
          runs.push(r);
          const bytes = row.data === 'big' ? data.bigBytes : data.smallCount * data.smallBytes;
          log(
            `[${label}] ${peer.name} #${attempt}: ${r.seconds.toFixed(2)} s, ${mbps(bytes, r.seconds).toFixed(1)} MB/s, CPU ${r.cpuSeconds.toFixed(2)} s, ` +
              `RSS ${rssMB(r.peakRssKiB).toFixed(0)} MB, other load ${r.otherLoad.toFixed(2)} cores, ${r.ok ? 'verified' : `FAILED (${r.detail})`}`,
          );
        }
      }
      results.push({
        id: `${row.protocol}-${row.data}-${row.direction}`,
        ...row,
        label,
        bytes: row.data === 'big' ? data.bigBytes : data.smallCount * data.smallBytes,
        files: row.data === 'big' ? 1 : data.smallCount,
        runs,
      });
    }

    const stored: StoredResults = {
      startedAt: startedAt.toISOString(),
      elapsedSeconds: (performance.now() - t0) / 1000,
      machine: {
        cpu: cpus()[0]?.model ?? 'unknown',
        cores: cpus().length,
        memoryGiB: Math.round(totalmem() / 1024 ** 3),
        kernel: release(),
        node: process.version,
      },
      options: opts,
      tools: descriptions,
      limits,
      rows: results,
      targets: targetChecks(results),
    };
    process.stdout.write(`${renderReport(stored)}\n`);

    const resultsDir = new URL('./results/', import.meta.url).pathname;
    await mkdir(resultsDir, { recursive: true });
    const file = join(resultsDir, `${stored.startedAt.replace(/[:.]/g, '-')}.json`);
    await writeFile(file, `${JSON.stringify(stored, null, 2)}\n`);
    log(`results written to ${file}`);
    if (interrupted) process.exitCode = 130;
    else if (results.some((r) => r.runs.some((x) => !x.ok))) process.exitCode = 1;
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    killRunning();
    await started?.stop();
    await rm(work, { recursive: true, force: true });
  }
}

await main();
