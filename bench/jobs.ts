import { cp, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { startTestServers, type StartedServers } from '../test/helpers/servers/index.js';
import { SMALL_DIR, createDataSet, resetFolder, verifySmall, type DataSet, type Verdict } from './data.js';
import { connectionName, makeFerryHome, snapshotCli, type FerryCli } from './ferryCli.js';
import { cpuSnapshot, otherLoad, waitForQuiet } from './load.js';
import { killRunning, measure, runChecked, tail, type CommandSpec, type Measured } from './measure.js';
import { ferrySummary } from './peers/ferry.js';
import { RclonePeer } from './peers/rclone.js';
import { PARALLEL_FILES, type Protocol, type ServerAccess } from './peers/types.js';
import { DISTURBED_LOAD, bestRuns, rssMB, type RowResult, type RunResult } from './report.js';
import { fixed, log, machine, machineLine, nameList, wholeNumber, writeResults, type Machine } from './support.js';

const USAGE = `tsx bench/jobs.ts [options]
  --count <n>         number of small files (default 10000)
  --kib <n>           size of each file in KiB (default 1)
  --runs <n>          runs per tool; the fastest verified undisturbed one counts (default 2)
  --protocols <list>  sftp,ftp (default sftp)
  --tools <list>      ferry-job,ferry-copy,rclone (default all)
  --quiet-wait <s>    on a shared machine, wait up to this many seconds in all for other processes to calm
                      down before runs (default 300; at most 30 s before any one run)
  --report <file>     print the report of a results file from an earlier run, run nothing

Needs root (the test servers), \`npm run build\` beforehand, rclone and GNU time.`;

const TOOLS = ['ferry-job', 'ferry-copy', 'rclone'] as const;
type Tool = (typeof TOOLS)[number];

interface Options {
  readonly count: number;
  readonly kib: number;
  readonly runs: number;
  readonly protocols: ReadonlyArray<Protocol>;
  readonly tools: ReadonlyArray<Tool>;
  readonly quietWaitMs: number;
  readonly report: string | undefined;
}

function parseOptions(argv: ReadonlyArray<string>): Options {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      count: { type: 'string', default: '10000' },
      kib: { type: 'string', default: '1' },
      runs: { type: 'string', default: '2' },
      protocols: { type: 'string', default: 'sftp' },
      tools: { type: 'string', default: TOOLS.join(',') },
      'quiet-wait': { type: 'string', default: '300' },
      report: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help === true) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  return {
    count: wholeNumber('count', values.count, 99_999),
    kib: wholeNumber('kib', values.kib, 1024),
    runs: wholeNumber('runs', values.runs, 10),
    protocols: nameList<Protocol>('protocols', values.protocols, ['sftp', 'ftp']),
    tools: nameList<Tool>('tools', values.tools, TOOLS),
    quietWaitMs: (values['quiet-wait'] === '0' ? 0 : wholeNumber('quiet-wait', values['quiet-wait'], 24 * 3600)) * 1000,
    report: values.report,
  };
}

/** On a shared machine other people's test runs come and go: wait for a gap before each run, but not forever (as bench/run.ts). */
const QUIET_WAIT_PER_RUN_MS = 30_000;
let quietWaitLeftMs = 0;

/** Written pages of the previous run must not be flushed to disk during the next one. */
async function settle(): Promise<void> {
  await runChecked({ command: '/bin/sync', args: [], timeoutMs: 120_000 });
}

/** One measured run: where it writes, and a Ferry data folder of its own (fresh history, fresh staging). */
interface Target {
  readonly runId: string;
  readonly server: ServerAccess;
  /** The destination folder relative to the server's bench folder; its parent exists, it does not. */
  readonly remote: string;
  /** The same folder as a path on this machine, for the checks. */
  readonly landed: string;
  readonly home: string;
  readonly jobFile: string;
}

const JOB_NAME = 'bench-small-files';

/**
 * The job: every file of the local folder to the server, with the pipeline's real steps. Arrival is
 * not waited for (stableFor 0s), each file is staged, checked against one rule, delivered by the one
 * route, kept at the source and recorded. The same eight files in flight as the other tools.
 */
function jobYaml(source: string, destination: string): string {
  return [
    'version: 1',
    `name: ${JOB_NAME}`,
    'source:',
    `  location: ${JSON.stringify(source)}`,
    'arrival:',
    '  stableFor: 0s',
    'validate:',
    '  maxSize: 1MiB',
    'routes:',
    '  - name: server',
    `    to: ${JSON.stringify(destination)}`,
    'after:',
    '  source: keep',
    `concurrency: ${PARALLEL_FILES}`,
    '',
  ].join('\n');
}

interface Contender {
  readonly tool: Tool;
  command(target: Target): CommandSpec;
  /** Checks beyond the files themselves: the tool's own account of the run. */
  check(result: Measured, target: Target): Promise<Verdict>;
}

interface JobReport {
  readonly status?: unknown;
  readonly files?: ReadonlyArray<{ readonly path?: unknown; readonly outcome?: unknown }>;
}

/** The job's JSON result and what it recorded in its history: every file delivered, validated and done. */
function checkJob(stdout: string, home: string, data: DataSet): Verdict {
  let report: JobReport;
  try {
    report = JSON.parse(stdout) as JobReport;
  } catch {
    return { ok: false, detail: `no JSON result: ${tail(stdout, 3)}` };
  }
  const files = report.files ?? [];
  const delivered = files.filter((f) => f.outcome === 'delivered').length;
  if (report.status !== 'succeeded' || files.length !== data.smallCount || delivered !== data.smallCount) {
    return { ok: false, detail: `job result: status ${String(report.status)}, ${files.length} files, ${delivered} delivered, expected ${data.smallCount}` };
  }
  const db = new Database(join(home, 'history.db'), { readonly: true });
  try {
    const one = (sql: string): number => db.prepare<[{ job: string; files: number }], { n: number }>(sql).get({ job: JOB_NAME, files: data.smallCount })?.n ?? -1;
    const runs = one("SELECT count(*) AS n FROM runs WHERE job = @job AND status = 'succeeded' AND files = @files");
    const done = one("SELECT count(*) AS n FROM items WHERE stage = 'done' AND status = 'copied'");
    const validated = one('SELECT count(*) AS n FROM validation_results WHERE passed = 1');
    const rejected = one('SELECT count(*) AS n FROM validation_results WHERE passed = 0');
    const taken = one("SELECT count(*) AS n FROM job_files WHERE job = @job AND state = 'done'");
    if (runs !== 1 || done !== data.smallCount || validated !== data.smallCount || rejected !== 0 || taken !== data.smallCount) {
      return {
        ok: false,
        detail: `history: ${runs} succeeded run(s), ${done} items done, ${validated} validations passed and ${rejected} failed, ${taken} files taken; expected 1, ${data.smallCount} each and 0 failed`,
      };
    }
  } finally {
    db.close();
  }
  return { ok: true, detail: 'job result and history agree' };
}

function contenders(cli: FerryCli, rclone: RclonePeer, data: DataSet, timeoutMs: number): Contender[] {
  return [
    {
      tool: 'ferry-job',
      command: (t) => ({ command: process.execPath, args: [cli.entry, 'run', t.jobFile, '--json'], env: { FERRY_HOME: t.home }, timeoutMs }),
      check: async (r, t) => checkJob(r.stdout, t.home, data),
    },
    {
      tool: 'ferry-copy',
      command: (t) => ({
        command: process.execPath,
        args: [cli.entry, 'copy', '--recursive', data.smallPath, `${connectionName(t.server.protocol)}:${t.remote}`, '--concurrency', String(PARALLEL_FILES), '--json'],
        env: { FERRY_HOME: t.home },
        timeoutMs,
      }),
      check: async (r) => {
        const summary = ferrySummary(r.stdout);
        return summary !== undefined && summary.failed === 0 && summary.files === data.smallCount
          ? { ok: true, detail: 'summary agrees' }
          : { ok: false, detail: `Ferry's summary disagrees: ${JSON.stringify(summary)}` };
      },
    },
    {
      tool: 'rclone',
      command: (t) => ({ ...rclone.command({ server: t.server, direction: 'up', data: 'small', local: data.smallPath, remote: t.remote }), timeoutMs }),
      check: async () => ({ ok: true, detail: '' }),
    },
  ];
}

async function runOne(c: Contender, attempt: number, protocol: Protocol, server: ServerAccess, serverRoot: string, template: string, work: string, data: DataSet): Promise<RunResult> {
  const runId = `${protocol}-${c.tool}-${attempt}`;
  const owner = await stat(serverRoot);
  await resetFolder(join(serverRoot, 'up', runId), { uid: owner.uid, gid: owner.gid });
  const home = join(work, 'homes', runId);
  await rm(home, { recursive: true, force: true });
  await cp(template, home, { recursive: true });
  const target: Target = {
    runId,
    server,
    remote: `up/${runId}/${SMALL_DIR}`,
    landed: join(serverRoot, 'up', runId, SMALL_DIR),
    home,
    jobFile: join(work, 'jobs', `${runId}.yaml`),
  };
  await mkdir(join(work, 'jobs'), { recursive: true });
  await writeFile(target.jobFile, jobYaml(data.smallPath, `${connectionName(protocol)}:${target.remote}/`));
  await settle();
  const quiet = await waitForQuiet(DISTURBED_LOAD, Math.min(QUIET_WAIT_PER_RUN_MS, quietWaitLeftMs));
  quietWaitLeftMs = Math.max(0, quietWaitLeftMs - quiet.waitedMs);
  if (quiet.load >= DISTURBED_LOAD) log(`  (other processes use ${quiet.load.toFixed(2)} cores; measuring anyway)`);

  const before = cpuSnapshot();
  const result = await measure(c.command(target));
  const others = otherLoad(before, cpuSnapshot());
  let verdict: Verdict;
  if (result.timedOut) verdict = { ok: false, detail: 'timed out' };
  else if (result.exitCode !== 0) verdict = { ok: false, detail: `exit ${result.exitCode ?? result.signal}: ${tail(result.stderr || result.stdout, 5)}` };
  else verdict = await verifySmall(target.landed, data);
  if (verdict.ok) verdict = await c.check(result, target);
  return {
    tool: c.tool,
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

// ---------------------------------------------------------------------------------------------------
// Report.

interface Overhead {
  /** (job − copy) ÷ files, wall-clock milliseconds. */
  readonly wallMsPerFile: number;
  /** The same for CPU time. */
  readonly cpuMsPerFile: number;
}

interface StoredJobsResults {
  readonly startedAt: string;
  readonly elapsedSeconds: number;
  readonly machine: Machine;
  readonly options: Omit<Options, 'report'>;
  readonly tools: Readonly<Record<string, string>>;
  readonly job: string;
  readonly rows: ReadonlyArray<RowResult>;
  readonly overhead: Readonly<Record<string, Overhead | undefined>>;
}

function best(row: RowResult, tool: Tool): RunResult | undefined {
  const r = bestRuns(row).find((x) => x.tool === tool);
  return r?.ok === true ? r : undefined;
}

function overheadOf(row: RowResult): Overhead | undefined {
  const job = best(row, 'ferry-job');
  const copy = best(row, 'ferry-copy');
  if (job === undefined || copy === undefined) return undefined;
  return { wallMsPerFile: ((job.seconds - copy.seconds) * 1000) / row.files, cpuMsPerFile: ((job.cpuSeconds - copy.cpuSeconds) * 1000) / row.files };
}

function markdownTable(rows: ReadonlyArray<RowResult>): string {
  const lines = [
    '| Row | Tool | Time (s) | files/s | CPU (s) | Peak RSS (MB) | Time ÷ ferry copy | Time ÷ rclone | All runs (s) | Other load | Verified |',
    '|---|---|---:|---:|---:|---:|---:|---:|---|---:|---|',
  ];
  for (const row of rows) {
    const copy = best(row, 'ferry-copy');
    const rclone = best(row, 'rclone');
    for (const r of bestRuns(row)) {
      const vs = (base: RunResult | undefined): string => (base === undefined || !r.ok ? '—' : `${(r.seconds / base.seconds).toFixed(2)}×`);
      const all = row.runs
        .filter((x) => x.tool === r.tool)
        .map((x) => `${fixed(x.seconds, 2)}${x.ok ? '' : ' (failed)'}`)
        .join(' / ');
      const verified = r.ok ? 'yes' : `**no**: ${r.detail.replace(/\|/g, '/').replace(/\s+/g, ' ').slice(0, 120)}`;
      lines.push(
        `| ${row.label} | ${r.tool} | ${fixed(r.seconds, 2)} | ${r.ok ? fixed(row.files / r.seconds, 0) : '—'} | ${fixed(r.cpuSeconds, 2)} | ` +
          `${fixed(rssMB(r.peakRssKiB), 0)} | ${vs(copy)} | ${vs(rclone)} | ${all} | ${r.otherLoad.toFixed(2)}${r.otherLoad >= DISTURBED_LOAD ? ' (disturbed)' : ''} | ${verified} |`,
      );
    }
  }
  return lines.join('\n');
}

function renderReport(r: StoredJobsResults): string {
  const lines = [
    `# Ferry jobs benchmark, ${r.startedAt}`,
    '',
    `Machine: ${machineLine(r.machine)}; all traffic on 127.0.0.1. Runs per tool: ${r.options.runs}; shown is the fastest verified ` +
      `run that other processes left alone. MB = 10^6 bytes. Bench took ${r.elapsedSeconds.toFixed(0)} s.`,
    '',
    markdownTable(r.rows),
    '',
  ];
  for (const row of r.rows) {
    const o = r.overhead[row.id];
    lines.push(
      o === undefined
        ? `- ${row.label}: per-file overhead not available (the job or the copy has no verified run)`
        : `- ${row.label}: the job pipeline costs ${o.wallMsPerFile.toFixed(2)} ms of wall-clock time and ${o.cpuMsPerFile.toFixed(2)} ms of CPU per file ` +
            `more than \`ferry copy\` ((job − copy) ÷ ${row.files.toLocaleString('en-US')} files)`,
    );
  }
  lines.push('', ...Object.entries(r.tools).map(([tool, d]) => `- ${tool}: ${d}`), '', 'The job:', '', '```yaml', r.job.trimEnd(), '```');
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const opts = parseOptions(process.argv.slice(2));
  if (opts.report !== undefined) {
    process.stdout.write(`${renderReport(JSON.parse(await readFile(opts.report, 'utf8')) as StoredJobsResults)}\n`);
    return;
  }
  quietWaitLeftMs = opts.quietWaitMs;
  const startedAt = new Date();
  const t0 = performance.now();
  const work = await mkdtemp(join(tmpdir(), 'ferry-bench-jobs-'));
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
    const cli = await snapshotCli(work);
    log(cli.description);
    log(`creating ${opts.count} × ${opts.kib} KiB`);
    const data = await createDataSet(join(work, 'data'), { bigBytes: 0, smallCount: opts.count, smallBytes: opts.kib * 1024 });
    log('starting servers');
    started = await startTestServers();
    const { sftp, ftp } = started.servers;
    const plain = ftp['vsftpd-plain'];
    const knownHostsFile = join(work, 'known_hosts');
    await writeFile(knownHostsFile, `[${sftp.host}]:${sftp.port} ${sftp.hostKeyLine}\n`, { mode: 0o600 });

    // Each server's bench folder, owned by its login user; every run writes below up/.
    const serverRoots = new Map<Protocol, string>();
    const access: ServerAccess[] = [];
    for (const protocol of opts.protocols) {
      const home = protocol === 'sftp' ? sftp.home : plain.home;
      const owner = await stat(home);
      const root = join(home, 'bench');
      await resetFolder(root, { uid: owner.uid, gid: owner.gid });
      await resetFolder(join(root, 'up'), { uid: owner.uid, gid: owner.gid });
      serverRoots.set(protocol, root);
      access.push(
        protocol === 'sftp'
          ? {
              protocol,
              host: sftp.host,
              port: sftp.port,
              user: sftp.user,
              password: sftp.password,
              root: `${sftp.home}/bench`,
              privateKeyPath: sftp.privateKeyPath,
              knownHostsFile,
              hostKeyLine: sftp.hostKeyLine,
            }
          : { protocol, host: plain.host, port: plain.port, user: plain.user, password: plain.password, root: '/bench' },
      );
    }

    log('preparing Ferry and rclone');
    const template = join(work, 'home-template');
    await makeFerryHome(cli, template, access, PARALLEL_FILES);
    const rclone = new RclonePeer();
    await rclone.prepare(access, work);
    const tools: Record<string, string> = {
      'ferry-job': `${cli.description}; \`ferry run <job.yaml> --json\`, the job shown below`,
      'ferry-copy': `the same build; \`ferry copy --recursive <folder> <connection>:<folder> --concurrency ${PARALLEL_FILES} --json\``,
      rclone: await rclone.describe(),
      connections: `added with \`ferry connection add … --password-stdin\`: SFTP with --accept-new-host-key and the default pool, FTP with --max-connections ${PARALLEL_FILES}; every run gets a copy of that data folder, so it starts with an empty history`,
    };
    for (const [tool, d] of Object.entries(tools)) log(`- ${tool}: ${d}`);

    // Generous: a run that is merely slow must still finish and be measured.
    const timeoutMs = 120_000 + opts.count * 100;
    const all = contenders(cli, rclone, data, timeoutMs).filter((c) => opts.tools.includes(c.tool));
    const rows: RowResult[] = [];
    for (const [index, protocol] of opts.protocols.entries()) {
      const server = access.find((a) => a.protocol === protocol) as ServerAccess;
      const label = `${protocol.toUpperCase()} ${opts.count.toLocaleString('en-US')} × ${opts.kib} KiB up`;
      const runs: RunResult[] = [];
      for (let attempt = 1; attempt <= opts.runs && !interrupted; attempt++) {
        // Rotating the order keeps any effect of running first or last from always hitting the same tool.
        const order = all.map((_, i) => all[(i + attempt - 1 + index) % all.length] as Contender);
        for (const c of order) {
          if (interrupted) break;
          const r = await runOne(c, attempt, protocol, server, serverRoots.get(protocol) as string, template, work, data);
          runs.push(r);
          log(
            `[${label}] ${c.tool} #${attempt}: ${r.seconds.toFixed(2)} s, ${(opts.count / r.seconds).toFixed(0)} files/s, CPU ${r.cpuSeconds.toFixed(2)} s, ` +
              `RSS ${rssMB(r.peakRssKiB).toFixed(0)} MB, other load ${r.otherLoad.toFixed(2)} cores, ${r.ok ? 'verified' : `FAILED (${r.detail})`}`,
          );
        }
      }
      rows.push({ id: `${protocol}-small-up`, protocol, direction: 'up', data: 'small', label, bytes: data.smallCount * data.smallBytes, files: data.smallCount, runs });
    }

    const stored: StoredJobsResults = {
      startedAt: startedAt.toISOString(),
      elapsedSeconds: (performance.now() - t0) / 1000,
      machine: machine(),
      options: { count: opts.count, kib: opts.kib, runs: opts.runs, protocols: opts.protocols, tools: opts.tools, quietWaitMs: opts.quietWaitMs },
      tools,
      job: jobYaml('<the data folder>', `${connectionName(opts.protocols[0] ?? 'sftp')}:up/<run>/${SMALL_DIR}/`),
      rows,
      overhead: Object.fromEntries(rows.map((row) => [row.id, overheadOf(row)])),
    };
    process.stdout.write(`${renderReport(stored)}\n`);
    log(`results written to ${await writeResults('jobs', stored.startedAt, stored)}`);
    if (interrupted) process.exitCode = 130;
    else if (rows.some((r) => r.runs.some((x) => !x.ok))) process.exitCode = 1;
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    killRunning();
    await started?.stop();
    await rm(work, { recursive: true, force: true });
  }
}

await main();
