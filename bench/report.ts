import type { Limits } from './limits.js';
import type { DataKind, Direction, Protocol } from './peers/types.js';

export interface RunResult {
  readonly tool: string;
  readonly attempt: number;
  readonly seconds: number;
  readonly peakRssKiB: number;
  /** CPU seconds of the tool's own processes (the servers' share is not in it). */
  readonly cpuSeconds: number;
  readonly exitCode: number | null;
  /** Cores' worth of CPU other processes on the machine used during the run. */
  readonly otherLoad: number;
  readonly ok: boolean;
  readonly detail: string;
}

export interface RowResult {
  readonly id: string;
  readonly protocol: Protocol;
  readonly direction: Direction;
  readonly data: DataKind;
  readonly label: string;
  readonly bytes: number;
  readonly files: number;
  readonly runs: ReadonlyArray<RunResult>;
}

/** What a run writes to bench/results/<timestamp>.json, and all `--report` needs to print it again. */
export interface StoredResults {
  readonly startedAt: string;
  readonly elapsedSeconds: number;
  readonly machine: { readonly cpu: string; readonly cores: number; readonly memoryGiB: number; readonly kernel: string; readonly node: string };
  readonly options: { readonly runs: number };
  /** Version and flags per tool. */
  readonly tools: Readonly<Record<string, string>>;
  readonly limits: Limits;
  readonly rows: ReadonlyArray<RowResult>;
  readonly targets: ReadonlyArray<TargetCheck>;
}

export interface TargetCheck {
  readonly target: string;
  readonly row: string;
  readonly value: string;
  readonly met: boolean | undefined;
}

const FERRY = 'ferry';
/** A run during which other processes used more than this many cores is only used when no quiet one exists. */
export const DISTURBED_LOAD = 0.15;
const RSS_LIMIT_MB = 300;

export function mbps(bytes: number, seconds: number): number {
  return bytes / 1e6 / seconds;
}

export function rssMB(kib: number): number {
  return (kib * 1024) / 1e6;
}

/** Verified beats failed, undisturbed beats disturbed, then faster beats slower. */
function better(a: RunResult, b: RunResult): boolean {
  if (a.ok !== b.ok) return a.ok;
  const quietA = a.otherLoad < DISTURBED_LOAD;
  const quietB = b.otherLoad < DISTURBED_LOAD;
  if (quietA !== quietB) return quietA;
  return a.seconds < b.seconds;
}

/** The best run of each tool in a row (see `better`); a tool without a verified run is shown by its failure. */
export function bestRuns(row: RowResult): RunResult[] {
  const byTool = new Map<string, RunResult>();
  for (const r of row.runs) {
    const current = byTool.get(r.tool);
    if (current === undefined || better(r, current)) byTool.set(r.tool, r);
  }
  return [...byTool.values()].sort((a, b) => (a.tool === FERRY ? -1 : b.tool === FERRY ? 1 : a.tool.localeCompare(b.tool)));
}

function fixed(n: number, digits: number): string {
  return Number.isFinite(n) ? n.toFixed(digits) : '—';
}

/** Ferry's throughput divided by the tool's: above 1 means Ferry was faster. */
export function ratio(row: RowResult, tool: string): number | undefined {
  const best = bestRuns(row);
  const ferry = best.find((r) => r.tool === FERRY);
  const peer = best.find((r) => r.tool === tool);
  if (ferry === undefined || peer === undefined || !ferry.ok || !peer.ok) return undefined;
  return peer.seconds / ferry.seconds;
}

export function markdownTable(rows: ReadonlyArray<RowResult>): string {
  const lines = [
    '| Row | Tool | Time (s) | MB/s | files/s | CPU (s) | Peak RSS (MB) | Ferry ÷ tool | All runs (s) | Other load | Verified |',
    '|---|---|---:|---:|---:|---:|---:|---:|---|---:|---|',
  ];
  for (const row of rows) {
    for (const r of bestRuns(row)) {
      const rate = r.ok ? fixed(mbps(row.bytes, r.seconds), 1) : '—';
      const files = r.ok ? fixed(row.files / r.seconds, row.files === 1 ? 2 : 0) : '—';
      const q = r.tool === FERRY ? '' : ratio(row, r.tool);
      const shownRatio = q === '' ? '' : q === undefined ? '—' : `${q.toFixed(2)}×`;
      const verified = r.ok ? 'yes' : `**no**: ${r.detail.replace(/\|/g, '/').replace(/\s+/g, ' ').slice(0, 120)}`;
      const load = `${r.otherLoad.toFixed(2)}${r.otherLoad >= DISTURBED_LOAD ? ' (disturbed)' : ''}`;
      const all = row.runs
        .filter((x) => x.tool === r.tool)
        .map((x) => `${fixed(x.seconds, 2)}${x.ok ? '' : ' (failed)'}`)
        .join(' / ');
      lines.push(
        `| ${row.label} | ${r.tool} | ${fixed(r.seconds, 2)} | ${rate} | ${files} | ${fixed(r.cpuSeconds ?? NaN, 2)} | ` +
          `${fixed(rssMB(r.peakRssKiB), 0)} | ${shownRatio} | ${all} | ${load} | ${verified} |`,
      );
    }
  }
  return lines.join('\n');
}

export function targetChecks(rows: ReadonlyArray<RowResult>): TargetCheck[] {
  const checks: TargetCheck[] = [];
  for (const row of rows) {
    const vsRclone = ratio(row, 'rclone');
    checks.push({
      target: 'throughput ≥ 1.0× rclone',
      row: row.label,
      value: vsRclone === undefined ? 'n/a' : `${vsRclone.toFixed(2)}×`,
      met: vsRclone === undefined ? undefined : vsRclone >= 1,
    });
    if (row.protocol === 'sftp' && row.data === 'big') {
      const vsOpenSsh = ratio(row, 'openssh-sftp');
      checks.push({
        target: 'throughput ≥ 0.9× OpenSSH sftp',
        row: row.label,
        value: vsOpenSsh === undefined ? 'n/a' : `${vsOpenSsh.toFixed(2)}×`,
        met: vsOpenSsh === undefined ? undefined : vsOpenSsh >= 0.9,
      });
    }
    const ferry = row.runs.filter((r) => r.tool === FERRY);
    if (ferry.length > 0) {
      const peak = Math.max(...ferry.map((r) => rssMB(r.peakRssKiB)));
      checks.push({ target: `Ferry peak RSS < ${RSS_LIMIT_MB} MB`, row: row.label, value: `${peak.toFixed(0)} MB`, met: peak < RSS_LIMIT_MB });
    }
  }
  return checks;
}

export function markdownTargets(checks: ReadonlyArray<TargetCheck>): string {
  const lines = ['| Target | Row | Measured | Met |', '|---|---|---:|---|'];
  for (const c of checks) lines.push(`| ${c.target} | ${c.row} | ${c.value} | ${c.met === undefined ? 'n/a' : c.met ? 'yes' : '**no**'} |`);
  return lines.join('\n');
}

export function markdownLimits(limits: Limits): string {
  return [
    '| Limit | MB/s |',
    '|---|---:|',
    `| Page cache read (\`cat big.bin > /dev/null\`, warm) | ${limits.pageCacheMBps.toFixed(0)} |`,
    `| Loopback TCP, iperf3 (1 stream) | ${limits.iperf3MBps === undefined ? 'not installed' : limits.iperf3MBps.toFixed(0)} |`,
    `| Loopback TCP, Node socket → Node socket | ${limits.nodePipeMBps.toFixed(0)} |`,
  ].join('\n');
}

export function renderReport(r: StoredResults): string {
  const m = r.machine;
  return [
    `# Ferry benchmark, ${r.startedAt}`,
    '',
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, Linux ${m.kernel}, Node ${m.node}; all traffic on 127.0.0.1.`,
    `Runs per tool and row: ${r.options.runs}; shown is the fastest verified run that other processes left alone ` +
      `("other load": cores other processes on the machine used meanwhile). MB = 10^6 bytes. Bench took ${r.elapsedSeconds.toFixed(0)} s.`,
    '',
    markdownLimits(r.limits),
    '',
    markdownTable(r.rows),
    '',
    markdownTargets(r.targets),
    '',
    ...Object.entries(r.tools).map(([tool, d]) => `- ${tool}: ${d}`),
  ].join('\n');
}
