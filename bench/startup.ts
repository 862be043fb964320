import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { snapshotCli, type FerryCli } from './ferryCli.js';
import { cpuSnapshot, otherLoad, waitForQuiet } from './load.js';
import { killRunning, measure, runChecked, tail, type CommandSpec } from './measure.js';
import { DISTURBED_LOAD } from './report.js';
import { fixed, log, machine, machineLine, wholeNumber, writeResults, type Machine } from './support.js';

const USAGE = `tsx bench/startup.ts [options]
  --runs <n>        rounds; each runs every command once, in a rotated order (default 21)
  --quiet-wait <s>  on a shared machine, wait up to this many seconds in all for other processes to calm
                    down before rounds (default 120; at most 10 s before any one round)

Needs \`npm run build\` beforehand; rclone is optional (its column stays empty without it).`;

/** The start-up target: each command within this much of \`node -e 0\`. */
const TARGET_MS = 100;
const QUIET_WAIT_PER_ROUND_MS = 10_000;
/** A median needs enough rounds to mean anything; below this, disturbed rounds are counted too. */
const MIN_QUIET_ROUNDS = 5;

interface Probe {
  /** What the report calls it. */
  readonly label: string;
  readonly spec: CommandSpec;
  /** The rclone command doing the same job, when rclone is installed. */
  readonly peer?: string;
}

interface Sample {
  readonly label: string;
  readonly round: number;
  readonly ms: number;
  readonly cpuMs: number;
  readonly otherLoad: number;
}

interface StartupResults {
  readonly startedAt: string;
  readonly machine: Machine;
  readonly ferry: string;
  readonly rclone: string | undefined;
  readonly rounds: number;
  readonly samples: ReadonlyArray<Sample>;
}

function median(values: ReadonlyArray<number>): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

async function rcloneVersion(): Promise<string | undefined> {
  try {
    return (await runChecked({ command: 'rclone', args: ['version'], timeoutMs: 30_000 })).split('\n')[0]?.trim();
  } catch {
    return undefined;
  }
}

/** A data folder with three saved connections (none contacted) and a local folder of 50 files to list. */
async function prepare(cli: FerryCli, work: string): Promise<{ home: string; folder: string; rcloneConfig: string }> {
  const home = join(work, 'home');
  const folder = join(work, 'folder');
  await mkdir(join(folder, 'archive'), { recursive: true });
  for (let i = 0; i < 50; i++) await writeFile(join(folder, `invoice-${String(i).padStart(4, '0')}.csv`), `id;amount\n${i};${i * 10}\n`);
  const connections: ReadonlyArray<ReadonlyArray<string>> = [
    ['partner-sftp', 'sftp://ops@sftp.partner.example:2222/inbound', '--password-stdin'],
    ['partner-ftp', 'ftpes://ops@ftp.partner.example/outbound', '--password-stdin'],
    ['archive', `file://${folder}`],
  ];
  for (const args of connections) {
    await runChecked({
      command: process.execPath,
      args: [cli.entry, 'connection', 'add', ...args, '--no-test'],
      env: { FERRY_HOME: home },
      input: 'not-a-real-password\n',
      timeoutMs: 60_000,
    });
  }
  // rclone's counterpart of the same three connections, for `rclone listremotes`.
  const rcloneConfig = join(work, 'rclone.conf');
  await writeFile(
    rcloneConfig,
    '[partner-sftp]\ntype = sftp\nhost = sftp.partner.example\nport = 2222\nuser = ops\n\n' +
      '[partner-ftp]\ntype = ftp\nhost = ftp.partner.example\nuser = ops\nexplicit_tls = true\n\n' +
      `[archive]\ntype = alias\nremote = ${folder}\n`,
  );
  return { home, folder, rcloneConfig };
}

function probes(cli: FerryCli, home: string, folder: string): Probe[] {
  const ferry = (label: string, args: ReadonlyArray<string>, peer: string): Probe => ({
    label,
    spec: { command: process.execPath, args: [cli.entry, ...args], env: { FERRY_HOME: home }, timeoutMs: 60_000 },
    peer,
  });
  return [
    { label: 'node -e 0', spec: { command: process.execPath, args: ['-e', '0'], timeoutMs: 60_000 } },
    ferry('ferry --help', ['--help'], 'rclone --help'),
    ferry('ferry connection list', ['connection', 'list'], 'rclone listremotes'),
    ferry('ferry ls <local folder>', ['ls', folder], 'rclone lsf <local folder>'),
  ];
}

function rcloneProbes(config: string, folder: string): Probe[] {
  const rclone = (label: string, args: ReadonlyArray<string>): Probe => ({ label, spec: { command: 'rclone', args, timeoutMs: 60_000 } });
  return [
    rclone('rclone --help', ['--help']),
    rclone('rclone listremotes', ['listremotes', '--config', config]),
    rclone('rclone lsf <local folder>', ['lsf', folder, '--config', config]),
  ];
}

async function runRounds(all: ReadonlyArray<Probe>, rounds: number, quietWaitMs: number): Promise<Sample[]> {
  const samples: Sample[] = [];
  let quietLeftMs = quietWaitMs;
  for (let round = 0; round < rounds; round++) {
    const quiet = await waitForQuiet(DISTURBED_LOAD, Math.min(QUIET_WAIT_PER_ROUND_MS, quietLeftMs));
    quietLeftMs = Math.max(0, quietLeftMs - quiet.waitedMs);
    // Rotated order: no command always runs first (cold caches) or right after the same neighbour.
    const order = all.map((_, i) => all[(i + round) % all.length] as Probe);
    for (const probe of order) {
      const before = cpuSnapshot();
      const m = await measure(probe.spec);
      const load = otherLoad(before, cpuSnapshot());
      if (m.exitCode !== 0) throw new Error(`${probe.label} failed (exit ${m.exitCode ?? m.signal}):\n${tail(m.stderr || m.stdout)}`);
      samples.push({ label: probe.label, round, ms: m.seconds * 1000, cpuMs: m.cpuSeconds * 1000, otherLoad: load });
    }
    log(`round ${round + 1}/${rounds}: ${order.map((p) => `${p.label} ${fixed(samples.find((s) => s.round === round && s.label === p.label)?.ms ?? NaN, 0)} ms`).join(', ')}`);
  }
  return samples;
}

/** Rounds in which no command was disturbed by other processes; all rounds when too few were quiet. */
function roundsToUse(samples: ReadonlyArray<Sample>, rounds: number): { use: Set<number>; quiet: number } {
  const disturbed = new Set(samples.filter((s) => s.otherLoad >= DISTURBED_LOAD).map((s) => s.round));
  const quietRounds = [...Array(rounds).keys()].filter((r) => !disturbed.has(r));
  return { use: new Set(quietRounds.length >= MIN_QUIET_ROUNDS ? quietRounds : [...Array(rounds).keys()]), quiet: quietRounds.length };
}

function renderStartup(r: StartupResults, all: ReadonlyArray<Probe>): string {
  const { use, quiet } = roundsToUse(r.samples, r.rounds);
  const of = (label: string): Sample[] => r.samples.filter((s) => s.label === label && use.has(s.round));
  const baseline = new Map(of('node -e 0').map((s) => [s.round, s.ms]));
  const lines = [
    `Start-up: ${r.rounds} rounds, ${quiet} of them with other processes below ${DISTURBED_LOAD} cores; medians of ${use.size === quiet ? 'those' : 'all rounds (too few were quiet)'}.`,
    `${machineLine(r.machine)}; ${r.ferry}; ${r.rclone ?? 'rclone not installed'}.`,
    '',
    `| Command | Median (ms) | CPU (ms) | Over \`node -e 0\` (ms) | Target: ≤ ${TARGET_MS} ms over | rclone command | rclone (ms) | Time ÷ rclone |`,
    '|---|---:|---:|---:|---|---|---:|---:|',
  ];
  for (const probe of all) {
    const mine = of(probe.label);
    const ms = median(mine.map((s) => s.ms));
    const cpu = median(mine.map((s) => s.cpuMs));
    if (probe.label === 'node -e 0') {
      lines.push(`| \`node -e 0\` | ${fixed(ms, 0)} | ${fixed(cpu, 0)} | — | — | | | |`);
      continue;
    }
    // The difference is taken within each round, so that load drifting between rounds cancels out.
    const over = median(mine.flatMap((s) => (baseline.has(s.round) ? [s.ms - (baseline.get(s.round) as number)] : [])));
    const peer = probe.peer === undefined ? [] : of(probe.peer);
    const peerMs = peer.length === 0 ? NaN : median(peer.map((s) => s.ms));
    const met = over <= TARGET_MS ? 'met' : 'MISSED';
    lines.push(
      `| \`${probe.label}\` | ${fixed(ms, 0)} | ${fixed(cpu, 0)} | ${fixed(over, 0)} | ${met} | ${peer.length === 0 ? '—' : `\`${probe.peer ?? ''}\``} | ${fixed(peerMs, 0)} | ${peer.length === 0 ? '—' : `${fixed(ms / peerMs, 2)}×`} |`,
    );
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '21' },
      'quiet-wait': { type: 'string', default: '120' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help === true) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const rounds = wholeNumber('runs', values.runs, 1000);
  const quietWaitMs = Number(values['quiet-wait']) * 1000;
  if (!Number.isFinite(quietWaitMs) || quietWaitMs < 0) throw new Error('--quiet-wait takes a number of seconds');
  const startedAt = new Date().toISOString();
  const work = await mkdtemp(join(tmpdir(), 'ferry-bench-startup-'));
  process.once('SIGINT', () => {
    killRunning();
    process.exit(130);
  });
  try {
    const cli = await snapshotCli(work);
    const { home, folder, rcloneConfig } = await prepare(cli, work);
    const rclone = await rcloneVersion();
    const all = [...probes(cli, home, folder), ...(rclone === undefined ? [] : rcloneProbes(rcloneConfig, folder))];
    const samples = await runRounds(all, rounds, quietWaitMs);
    const results: StartupResults = { startedAt, machine: machine(), ferry: cli.description, rclone, rounds, samples };
    const file = await writeResults('startup', startedAt, results);
    process.stdout.write(`${renderStartup(results, all.filter((p) => !p.label.startsWith('rclone')))}\n\nRaw figures: ${file}\n`);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

await main();
