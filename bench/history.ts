import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { HistoryStore } from '../src/history/HistoryStore.js';
import type { ItemId, ItemUpdate, RunId, RunStatus } from '../src/history/records.js';
import { cpuSnapshot, otherLoad, waitForQuiet } from './load.js';
import { DISTURBED_LOAD } from './report.js';
import { fixed, log, machine, machineLine, percentile, sourceRevision, wholeNumber, writeResults, type Machine } from './support.js';

const USAGE = `tsx bench/history.ts [options]
  --items <n>     items recorded in all (default 1000000)
  --runs-of <n>   items per run (default 1000); the number of runs is items ÷ runs-of
  --queries <n>   timed calls of each query (default 200)
  --keep          keep the database (its path is printed) instead of deleting it
  --quiet-wait <s> on a shared machine, wait up to this many seconds for other processes to calm down
                  before writing, and again (at most 30 s) before the queries (default 300)
  --report <file> print the report of a results file from an earlier run, run nothing`;

interface Options {
  readonly items: number;
  readonly runsOf: number;
  readonly queries: number;
  readonly keep: boolean;
  readonly quietWaitMs: number;
  readonly report: string | undefined;
}

function parseOptions(argv: ReadonlyArray<string>): Options {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      items: { type: 'string', default: '1000000' },
      'runs-of': { type: 'string', default: '1000' },
      queries: { type: 'string', default: '200' },
      keep: { type: 'boolean', default: false },
      'quiet-wait': { type: 'string', default: '300' },
      report: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help === true) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const items = wholeNumber('items', values.items, 100_000_000);
  const runsOf = wholeNumber('runs-of', values['runs-of'], 1_000_000);
  if (items % runsOf !== 0 || items / runsOf < 4) throw new Error('--items must be a multiple of --runs-of, with at least 4 runs');
  return {
    items,
    runsOf,
    queries: wholeNumber('queries', values.queries, 100_000),
    keep: values.keep === true,
    quietWaitMs: (values['quiet-wait'] === '0' ? 0 : wholeNumber('quiet-wait', values['quiet-wait'], 24 * 3600)) * 1000,
    report: values.report,
  };
}

// ---------------------------------------------------------------------------------------------------
// The data: jobs of partners and document types, and ad-hoc copies, over a year.

/** Deterministic pseudo-random numbers (mulberry32), so that every run of the bench writes the same history. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Partners by how much they send: a few large ones and a long tail, as on a real exchange. */
const PARTNERS: ReadonlyArray<readonly [string, number]> = [
  ['ACME', 20],
  ['GLOBEX', 14],
  ['INITECH', 10],
  ['UMBRELLA', 9],
  ['STARK', 8],
  ['WAYNE', 7],
  ['WONKA', 6],
  ['TYRELL', 5],
  ['CYBERDYNE', 4],
  ['SOYLENT', 3],
  ['HOOLI', 2],
  ['VANDELAY', 1],
];

interface DocType {
  readonly prefix: string;
  readonly ext: string;
  readonly route: string;
  /** Validation rules the job has; none means the job does not validate. */
  readonly rules: ReadonlyArray<string>;
  /** Files are taken from dated subfolders. */
  readonly dated: boolean;
}

const DOC_TYPES: ReadonlyArray<DocType> = [
  { prefix: 'INV', ext: 'pdf', route: 'erp:/in/invoices/', rules: ['size', 'name', 'content-type'], dated: false },
  { prefix: 'ORD', ext: 'csv', route: 'erp:/in/orders/', rules: ['size', 'csv'], dated: false },
  { prefix: 'DESADV', ext: 'xml', route: 'wms:/inbound/', rules: [], dated: true },
  { prefix: 'PRICAT', ext: 'csv', route: 'pim:/catalogue/', rules: ['csv'], dated: false },
];

interface JobProfile {
  readonly name: string;
  readonly kind: 'job' | 'copy';
  readonly partner: string;
  readonly type: DocType | undefined;
  readonly source: string;
  readonly target: string;
  readonly weight: number;
}

/** Each partner has two of the document types; one run in ten is an ad-hoc `ferry copy` of an export. */
function jobProfiles(): JobProfile[] {
  const jobs: JobProfile[] = [];
  for (const [i, [partner, weight]] of PARTNERS.entries()) {
    const lower = partner.toLowerCase();
    for (const type of [DOC_TYPES[i % DOC_TYPES.length], DOC_TYPES[(i + 1) % DOC_TYPES.length]]) {
      if (type === undefined) continue;
      jobs.push({
        name: `${lower}-${type.prefix.toLowerCase()}`,
        kind: 'job',
        partner,
        type,
        source: `${lower}-sftp:/outbox`,
        target: type.route,
        weight: weight * 0.45,
      });
    }
  }
  const jobWeight = jobs.reduce((n, j) => n + j.weight, 0);
  const partnerWeight = PARTNERS.reduce((n, [, w]) => n + w, 0);
  for (const [partner, weight] of PARTNERS) {
    const lower = partner.toLowerCase();
    // Together a ninth of the jobs' weight: one run in ten.
    jobs.push({ name: 'copy', kind: 'copy', partner, type: undefined, source: `exports/${lower}`, target: `archive-ftp:/${lower}`, weight: (weight / partnerWeight) * (jobWeight / 9) });
  }
  return jobs;
}

function pick<T extends { readonly weight: number }>(list: ReadonlyArray<T>, r: number): T {
  const total = list.reduce((n, x) => n + x.weight, 0);
  let left = r * total;
  for (const x of list) {
    left -= x.weight;
    if (left < 0) return x;
  }
  return list[list.length - 1] as T;
}

const DAY_MS = 86_400_000;
/** The history spans the last year: about three runs a day at the default size. */
const SPAN_MS = 365 * DAY_MS;
const QUARANTINE_RATE = 0.01;
const COMMON_FRAGMENT = 'ACME';

function seqText(n: number): string {
  return String(n).padStart(7, '0');
}

function fileName(job: JobProfile, seq: number): string {
  if (job.type === undefined) return `export-${job.partner.toLowerCase()}-${seqText(seq)}.zip`;
  return `${job.type.prefix}-${job.partner}-${seqText(seq)}.${job.type.ext}`;
}

function sourcePath(job: JobProfile, seq: number, at: number): string {
  const name = fileName(job, seq);
  return job.type?.dated === true ? `${new Date(at).toISOString().slice(0, 7)}/${name}` : name;
}

// ---------------------------------------------------------------------------------------------------
// Writing, as runs write.

type Phase = 'startRun' | 'discovered' | 'validation' | 'validated' | 'quarantine' | 'outcome' | 'copyBatch' | 'finishRun';

interface WriteTotals {
  runs: number;
  items: number;
  validations: number;
  quarantined: number;
  held: number;
  itemWrites: number;
  commonMatches: number;
  readonly byStatus: Record<string, number>;
  readonly ms: Record<Phase, number>;
}

interface PlannedItem {
  readonly path: string;
  readonly name: string;
  readonly bytes: number;
  readonly seq: number;
}

/** What the query checks need to know about what was written. */
interface Written {
  readonly runIds: RunId[];
  /** Names of the jobs that have runs. */
  readonly jobs: Set<string>;
  /** Names by their unique sequence number, for the rare search. */
  readonly nameOfSeq: Map<number, string>;
  /** Items per run id. */
  readonly itemsOfRun: Map<RunId, number>;
  readonly startedAt: Map<RunId, number>;
}

function timed<T>(totals: WriteTotals, phase: Phase, f: () => T): T {
  const t = performance.now();
  try {
    return f();
  } finally {
    totals.ms[phase] += performance.now() - t;
  }
}

const FAILURES: ReadonlyArray<readonly [ItemUpdate['errorKind'], string]> = [
  ['network', 'Connection reset by the server (ECONNRESET) while uploading'],
  ['timeout', 'No answer from the server for 30 s'],
  ['protocol', '550 Could not create file: permission denied'],
  ['quota', '552 Quota exceeded'],
];

/**
 * One run the way `runJob` records it: the run, every discovered file in one transaction, each file's
 * validation results, its progress past validation (or its quarantine), its outcome, and the run's end.
 * An ad-hoc copy records its items in one transaction at the end, as `ferry copy` does.
 */
function writeRun(store: HistoryStore, job: JobProfile, runIndex: number, count: number, startedAt: number, rnd: () => number, totals: WriteTotals, written: Written, seqStart: number): void {
  const journal = store.journal();
  const runId = timed(totals, 'startRun', () => store.startRun({ job: job.name, kind: job.kind, source: job.source, target: job.target, dryRun: false, startedAt }));
  written.runIds.push(runId);
  written.jobs.add(job.name);
  written.startedAt.set(runId, startedAt);
  written.itemsOfRun.set(runId, count);
  const items: PlannedItem[] = [];
  for (let i = 0; i < count; i++) {
    const seq = seqStart + i;
    const name = fileName(job, seq);
    items.push({ path: sourcePath(job, seq, startedAt), name, seq, bytes: 2_000 + Math.floor(rnd() * 400_000) });
    if ((runIndex * 7 + i) % 50 === 0) written.nameOfSeq.set(seq, name);
    if (name.toLowerCase().includes(COMMON_FRAGMENT.toLowerCase())) totals.commonMatches++;
  }
  // What kind of run this was: most go through, some lose a few files, a few fail or are stopped.
  const roll = rnd();
  const shape: RunStatus = roll < 0.02 ? 'failed' : roll < 0.07 ? 'partial' : roll < 0.08 ? 'cancelled' : 'succeeded';
  const failShare = shape === 'failed' ? 1 : shape === 'partial' ? 0.01 + rnd() * 0.04 : 0;
  const [failKind, failText] = FAILURES[Math.floor(rnd() * FAILURES.length)] ?? FAILURES[0] ?? ['network', 'failed'];
  const target = (item: PlannedItem): string => `${job.target}${item.name}`;
  let files = 0;
  let bytes = 0;
  let failed = 0;
  let skipped = 0;

  if (job.kind === 'copy') {
    const updates: ItemUpdate[] = items.map((item) => {
      if (rnd() < failShare) {
        failed++;
        return { sourcePath: item.path, stage: 'discovered', status: 'failed', bytes: 0, errorKind: failKind, reason: failText };
      }
      if (rnd() < 0.03) {
        skipped++;
        return { sourcePath: item.path, targetPath: target(item), stage: 'done', status: 'skipped', bytes: 0, reason: 'the target has the same size and time' };
      }
      files++;
      bytes += item.bytes;
      return { sourcePath: item.path, targetPath: target(item), stage: 'done', status: 'copied', bytes: item.bytes, verifiedBy: ['size'] };
    });
    timed(totals, 'copyBatch', () => store.recordItems(runId, updates));
    totals.itemWrites += updates.length;
  } else {
    const ids = timed(totals, 'discovered', () =>
      store.recordItems(runId, items.map((item) => ({ sourcePath: item.path, stage: 'discovered', status: 'pending', bytes: item.bytes }))),
    );
    totals.itemWrites += items.length;
    const rules = job.type?.rules ?? [];
    const stoppedAt = shape === 'cancelled' ? Math.floor(count * (0.2 + rnd() * 0.6)) : count;
    for (const [i, item] of items.entries()) {
      if (i >= stoppedAt) break;
      const itemId = ids[i] as ItemId;
      const rejected = rules.length > 0 && rnd() < QUARANTINE_RATE;
      const failingRule = rejected ? rules[Math.floor(rnd() * rules.length)] : undefined;
      for (const rule of rules) {
        const passed = rule !== failingRule;
        const message = passed ? `${rule}: passed` : rule === 'csv' ? `${item.name} line 14, column "qty": "abc" is not an integer` : `${rule}: ${item.name} does not qualify`;
        timed(totals, 'validation', () => store.recordValidation({ itemId, rule, passed, message }));
        totals.validations++;
      }
      if (failingRule !== undefined) {
        const reasons = [{ rule: failingRule, message: `${item.name} failed ${failingRule}` }];
        const location = `/var/lib/ferry/quarantine/${job.name}/${runId}/${item.path}`;
        timed(totals, 'quarantine', () => {
          const id = journal.hold({ job: job.name, itemId, file: item.path, location, reasons }, startedAt);
          store.recordQuarantine({ itemId, job: job.name, file: item.path, location, reason: JSON.stringify(reasons), action: 'quarantined', at: startedAt });
          // Operators release most files after fixing things up, and send some back; the rest are still held.
          const r = rnd();
          if (r < 0.6) journal.setQuarantineState(id, 'released', undefined, startedAt + DAY_MS);
          else if (r < 0.8) journal.setQuarantineState(id, 'returned', undefined, startedAt + DAY_MS);
          else totals.held++;
          store.recordItem(runId, { sourcePath: item.path, stage: 'validated', status: 'quarantined', bytes: item.bytes, errorKind: 'validation', reason: reasons[0]?.message ?? '' });
        });
        totals.quarantined++;
        totals.itemWrites++;
        skipped++;
        continue;
      }
      timed(totals, 'validated', () => store.recordItem(runId, { sourcePath: item.path, stage: 'validated', status: 'pending', bytes: item.bytes }));
      totals.itemWrites++;
      if (rnd() < failShare) {
        timed(totals, 'outcome', () => store.recordItem(runId, { sourcePath: item.path, stage: 'validated', status: 'failed', bytes: 0, errorKind: failKind, reason: `route: ${failText}` }));
        failed++;
      } else {
        timed(totals, 'outcome', () =>
          store.recordItem(runId, { sourcePath: item.path, targetPath: target(item), stage: 'done', status: 'moved', bytes: item.bytes, reason: `route → ${target(item)}` }),
        );
        files++;
        bytes += item.bytes;
      }
      totals.itemWrites++;
    }
  }
  const status: RunStatus = shape === 'cancelled' ? 'cancelled' : failed === 0 ? 'succeeded' : failed < count ? 'partial' : 'failed';
  const finishedAt = startedAt + 60_000 + count * 20;
  timed(totals, 'finishRun', () =>
    store.finishRun(runId, {
      status,
      files,
      bytes,
      failed,
      skipped,
      finishedAt,
      ...(status === 'cancelled' ? { error: 'Stopped before every file was handled' } : status === 'failed' ? { error: failText } : {}),
    }),
  );
  totals.byStatus[status] = (totals.byStatus[status] ?? 0) + 1;
  totals.runs++;
  totals.items += count;
}

// ---------------------------------------------------------------------------------------------------
// Results.

interface QueryResult {
  readonly id: string;
  readonly label: string;
  readonly calls: number;
  /** The first call on the freshly opened store, not among the timed ones. */
  readonly firstMs: number;
  readonly medianMs: number;
  readonly p95Ms: number;
  readonly maxMs: number;
  /** Rows returned, on average. */
  readonly rows: number;
  readonly failures: ReadonlyArray<string>;
}

interface StoredHistoryResults {
  readonly startedAt: string;
  readonly elapsedSeconds: number;
  readonly machine: Machine;
  readonly revision: string;
  readonly options: Omit<Options, 'report'>;
  readonly written: {
    readonly runs: number;
    readonly items: number;
    readonly validations: number;
    readonly quarantined: number;
    readonly held: number;
    readonly itemWrites: number;
    readonly commonMatches: number;
    readonly runsByStatus: Readonly<Record<string, number>>;
    readonly seconds: number;
    readonly itemsPerSecond: number;
    /** CPU seconds of this process (user + system) while writing, and wall-clock seconds of the whole phase. */
    readonly cpuSeconds: number;
    readonly wallSeconds: number;
    /** Cores' worth of CPU other processes used meanwhile. */
    readonly otherLoad: number;
    readonly phaseSeconds: Readonly<Record<string, number>>;
    /** Items per second in each tenth of the runs, first to last: whether writing slows as the file grows. */
    readonly tenths: ReadonlyArray<number>;
  };
  readonly database: {
    readonly bytes: number;
    readonly bytesPerItem: number;
    readonly openMs: number;
    readonly tables: ReadonlyArray<{ readonly name: string; readonly bytes: number }>;
  };
  readonly queries: ReadonlyArray<QueryResult>;
  readonly queriesOtherLoad: number;
  readonly checks: ReadonlyArray<{ readonly check: string; readonly ok: boolean; readonly detail: string }>;
}

function mb(bytes: number): string {
  return (bytes / 1e6).toFixed(1);
}

function renderReport(r: StoredHistoryResults): string {
  const w = r.written;
  const phases = Object.entries(w.phaseSeconds)
    .filter(([, s]) => s > 0)
    .map(([p, s]) => `${p} ${s.toFixed(1)} s`)
    .join(', ');
  const lines = [
    `# Ferry history benchmark, ${r.startedAt}`,
    '',
    `Machine: ${machineLine(r.machine)}. Ferry at ${r.revision}. Bench took ${r.elapsedSeconds.toFixed(0)} s.`,
    '',
    `Wrote ${w.runs.toLocaleString('en-US')} runs × ${r.options.runsOf.toLocaleString('en-US')} items = ${w.items.toLocaleString('en-US')} items ` +
      `(${w.itemWrites.toLocaleString('en-US')} item writes, ${w.validations.toLocaleString('en-US')} validation results, ` +
      `${w.quarantined.toLocaleString('en-US')} quarantined of which ${w.held.toLocaleString('en-US')} still held; runs: ` +
      `${Object.entries(w.runsByStatus).map(([s, n]) => `${n} ${s}`).join(', ')}).`,
    '',
    '| Write | Value |',
    '|---|---:|',
    `| Items recorded per second (whole run lifecycle) | ${w.itemsPerSecond.toFixed(0)} |`,
    `| Time in the history API | ${w.seconds.toFixed(1)} s (CPU ${w.cpuSeconds.toFixed(1)} s of ${w.wallSeconds.toFixed(1)} s wall-clock, data generation included) |`,
    `| Items/s per tenth of the runs, first → last | ${w.tenths.map((t) => t.toFixed(0)).join(' / ')} |`,
    `| Database size after closing | ${mb(r.database.bytes)} MB (${r.database.bytesPerItem.toFixed(0)} bytes per item) |`,
    `| Opening the full database | ${r.database.openMs.toFixed(1)} ms |`,
    '',
    `Time by call: ${phases}. Other processes used ${w.otherLoad.toFixed(2)} cores while writing and ${r.queriesOtherLoad.toFixed(2)} during the queries` +
      `${Math.max(w.otherLoad, r.queriesOtherLoad) >= DISTURBED_LOAD ? ' (**disturbed**: the figures are slower than on a quiet machine)' : ''}.`,
    '',
    '| Query | First call (ms) | Median (ms) | p95 (ms) | Max (ms) | Rows | Checked |',
    '|---|---:|---:|---:|---:|---:|---|',
    ...r.queries.map(
      (q) =>
        `| ${q.label} | ${fixed(q.firstMs, 2)} | ${fixed(q.medianMs, 2)} | ${fixed(q.p95Ms, 2)} | ${fixed(q.maxMs, 2)} | ${q.rows.toFixed(0)} | ` +
        `${q.failures.length === 0 ? 'yes' : `**no**: ${q.failures[0] ?? ''}`} |`,
    ),
    '',
    `Size by table and index: ${r.database.tables.map((t) => `${t.name} ${mb(t.bytes)} MB`).join(', ')}.`,
  ];
  const failed = r.checks.filter((c) => !c.ok);
  if (failed.length > 0) lines.push('', 'Failed checks:', ...failed.map((c) => `- ${c.check}: ${c.detail}`));
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------------

async function databaseBytes(file: string): Promise<number> {
  let total = 0;
  for (const suffix of ['', '-wal', '-shm']) total += await stat(`${file}${suffix}`).then((s) => s.size, () => 0);
  return total;
}

/** Space by table and index, from SQLite's dbstat table when the build has it. */
function tableSizes(file: string): Array<{ name: string; bytes: number }> {
  const db = new Database(file, { readonly: true });
  try {
    const rows = db.prepare<[], { name: string; bytes: number }>('SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name ORDER BY bytes DESC').all();
    return rows.filter((r) => r.bytes >= 1_000_000);
  } catch {
    return [];
  } finally {
    db.close();
  }
}

function counts(file: string): Record<string, number> {
  const db = new Database(file, { readonly: true });
  try {
    const one = (sql: string): number => (db.prepare<[], { n: number }>(sql).get()?.n ?? -1);
    return {
      runs: one('SELECT count(*) AS n FROM runs'),
      items: one('SELECT count(*) AS n FROM items'),
      names: one('SELECT count(*) AS n FROM item_names'),
      validations: one('SELECT count(*) AS n FROM validation_results'),
      quarantined: one('SELECT count(*) AS n FROM quarantine'),
      held: one("SELECT count(*) AS n FROM quarantine WHERE state = 'held'"),
    };
  } finally {
    db.close();
  }
}

interface QuerySpec {
  readonly id: string;
  readonly label: string;
  /** The i-th call; returns the rows and any problem with them. */
  call(i: number): { rows: number; problem: string | undefined };
}

function timeQuery(spec: QuerySpec, calls: number): QueryResult {
  const failures: string[] = [];
  const t0 = performance.now();
  const first = spec.call(0);
  const firstMs = performance.now() - t0;
  if (first.problem !== undefined) failures.push(first.problem);
  const samples: number[] = [];
  let rows = 0;
  for (let i = 1; i <= calls; i++) {
    const t = performance.now();
    const r = spec.call(i);
    samples.push(performance.now() - t);
    rows += r.rows;
    if (r.problem !== undefined && failures.length < 5) failures.push(r.problem);
  }
  samples.sort((a, b) => a - b);
  const mid = samples.length / 2;
  const median = samples.length % 2 === 1 ? (samples[Math.floor(mid)] as number) : ((samples[mid - 1] as number) + (samples[mid] as number)) / 2;
  return {
    id: spec.id,
    label: spec.label,
    calls,
    firstMs,
    medianMs: median,
    p95Ms: percentile(samples, 0.95),
    maxMs: samples.at(-1) ?? NaN,
    rows: rows / calls,
    failures,
  };
}

function descending(values: ReadonlyArray<number>): boolean {
  return values.every((v, i) => i === 0 || (values[i - 1] as number) >= v);
}

function querySpecs(store: HistoryStore, written: Written, held: number, rnd: () => number): QuerySpec[] {
  const runs = written.runIds;
  const newest = runs.at(-1) as RunId;
  const anyRun = (): RunId => runs[Math.floor(rnd() * runs.length)] as RunId;
  // Deep pages: somewhere in the older three quarters of the history.
  const deepRun = (): RunId => runs[Math.floor(runs.length * (0.05 + rnd() * 0.7))] as RunId;
  const rareSeqs = [...written.nameOfSeq.keys()];
  const jobs = [...written.jobs].sort();
  const page = 50;
  const expectPage = (n: number, available: number): string | undefined => (n === Math.min(page, available) ? undefined : `${n} rows, expected ${Math.min(page, available)}`);
  return [
    {
      id: 'runs-first-page',
      label: 'History page: newest 50 runs (`listRuns({limit: 50})`)',
      call: () => {
        const got = store.listRuns({ limit: page });
        const problem = expectPage(got.length, runs.length) ?? (got[0]?.id === newest && descending(got.map((r) => r.startedAt)) ? undefined : 'not the newest runs, newest first');
        return { rows: got.length, problem };
      },
    },
    {
      id: 'runs-deep-page',
      label: 'History page deep in (`before` a run 5–75% back)',
      call: () => {
        const before = deepRun();
        const at = written.startedAt.get(before) ?? 0;
        const got = store.listRuns({ limit: page, before });
        const problem = got.length === 0 ? 'empty page' : got.every((r) => r.startedAt <= at && r.id !== before) ? undefined : 'runs after the `before` run';
        return { rows: got.length, problem };
      },
    },
    {
      id: 'runs-by-job',
      label: 'History page filtered by job',
      call: (i) => {
        const job = jobs[i % jobs.length] as string;
        const got = store.listRuns({ job, limit: page });
        return { rows: got.length, problem: got.length > 0 && got.every((r) => r.job === job) && descending(got.map((r) => r.startedAt)) ? undefined : `job ${job}: ${got.length} runs or wrong ones` };
      },
    },
    {
      id: 'runs-by-status',
      label: 'History page filtered by status (failed / partial)',
      call: (i) => {
        const status: RunStatus = i % 2 === 0 ? 'failed' : 'partial';
        const got = store.listRuns({ status, limit: page });
        return { rows: got.length, problem: got.every((r) => r.status === status) ? undefined : `status ${status}: other runs listed` };
      },
    },
    {
      id: 'run-items',
      label: "A run's items, first page (`runItems(run, {limit: 50})`)",
      call: () => {
        const run = anyRun();
        const got = store.runItems(run, { limit: page });
        const sorted = got.every((it, k) => k === 0 || (got[k - 1]?.sourcePath ?? '') < it.sourcePath);
        const problem = expectPage(got.length, written.itemsOfRun.get(run) ?? 0) ?? (got.every((it) => it.runId === run) && sorted ? undefined : 'items of another run, or out of order');
        return { rows: got.length, problem };
      },
    },
    {
      id: 'run-items-failed',
      label: "A run's failed items (`runItems(run, {status: 'failed', limit: 50})`)",
      call: () => {
        const got = store.runItems(anyRun(), { status: 'failed', limit: page });
        return { rows: got.length, problem: got.every((it) => it.status === 'failed') ? undefined : 'items that did not fail' };
      },
    },
    {
      id: 'search-rare',
      label: 'File-name search, rare fragment (an invoice number, 1 match; limit 50)',
      call: (i) => {
        const seq = rareSeqs[(i * 7919) % rareSeqs.length] as number;
        const got = store.searchItems(seqText(seq), { limit: page });
        const expected = written.nameOfSeq.get(seq) ?? '?';
        return { rows: got.length, problem: got.length === 1 && got[0]?.sourcePath.endsWith(expected) === true ? undefined : `"${seqText(seq)}": ${got.length} hits, expected 1 (${expected})` };
      },
    },
    {
      id: 'search-common',
      label: `File-name search, common fragment ("${COMMON_FRAGMENT}"; limit 50)`,
      call: () => {
        const got = store.searchItems(COMMON_FRAGMENT, { limit: page });
        const problem =
          got.length !== page
            ? `${got.length} hits, expected ${page}`
            : !got.every((h) => h.sourcePath.toLowerCase().includes(COMMON_FRAGMENT.toLowerCase()))
              ? 'a hit without the fragment'
              : !descending(got.map((h) => h.runStartedAt))
                ? 'not newest first'
                : undefined;
        return { rows: got.length, problem };
      },
    },
    {
      id: 'quarantine',
      label: 'Quarantine list (`journal().quarantined()`, held files, up to 1,000)',
      call: () => {
        const got = store.journal().quarantined();
        const problem =
          got.length !== Math.min(1000, held) ? `${got.length} files, expected ${Math.min(1000, held)}` : got.every((q) => q.state === 'held') && descending(got.map((q) => q.at)) ? undefined : 'not held, or not newest first';
        return { rows: got.length, problem };
      },
    },
  ];
}

async function quiet(maxWaitMs: number): Promise<void> {
  if (maxWaitMs <= 0) return;
  const q = await waitForQuiet(DISTURBED_LOAD, maxWaitMs);
  if (q.load >= DISTURBED_LOAD) log(`  (other processes use ${q.load.toFixed(2)} cores; measuring anyway)`);
}

async function main(): Promise<void> {
  const opts = parseOptions(process.argv.slice(2));
  if (opts.report !== undefined) {
    process.stdout.write(`${renderReport(JSON.parse(await readFile(opts.report, 'utf8')) as StoredHistoryResults)}\n`);
    return;
  }
  const startedAt = new Date();
  const t0 = performance.now();
  const work = await mkdtemp(join(tmpdir(), 'ferry-bench-history-'));
  const file = join(work, 'history.db');
  let store: HistoryStore | undefined;
  try {
    const revision = await sourceRevision();
    const runCount = opts.items / opts.runsOf;
    log(`database ${file}: ${runCount} runs × ${opts.runsOf} items`);
    const jobs = jobProfiles();
    const rnd = random(20261121);
    const totals: WriteTotals = {
      runs: 0,
      items: 0,
      validations: 0,
      quarantined: 0,
      held: 0,
      itemWrites: 0,
      commonMatches: 0,
      byStatus: {},
      ms: { startRun: 0, discovered: 0, validation: 0, validated: 0, quarantine: 0, outcome: 0, copyBatch: 0, finishRun: 0 },
    };
    const written: Written = { runIds: [], jobs: new Set(), nameOfSeq: new Map(), itemsOfRun: new Map(), startedAt: new Map() };

    await quiet(opts.quietWaitMs);
    store = HistoryStore.open(file);
    const writeLoad = cpuSnapshot();
    const writeCpu = process.cpuUsage();
    const firstStart = Date.now() - SPAN_MS;
    const tenths: number[] = [];
    let tenthMs = 0;
    let tenthItems = 0;
    const apiMs = (): number => Object.values(totals.ms).reduce((a, b) => a + b, 0);
    for (let r = 0; r < runCount; r++) {
      const job = pick(jobs, rnd());
      const startedAtMs = Math.floor(firstStart + (r / runCount) * SPAN_MS + rnd() * (SPAN_MS / runCount / 2));
      const before = apiMs();
      writeRun(store, job, r, opts.runsOf, startedAtMs, rnd, totals, written, r * opts.runsOf + 1);
      tenthMs += apiMs() - before;
      tenthItems += opts.runsOf;
      if ((r + 1) % Math.max(1, Math.floor(runCount / 10)) === 0 && tenths.length < 10) {
        tenths.push(tenthItems / (tenthMs / 1000));
        log(`  ${r + 1} runs, ${totals.items} items: ${(tenthItems / (tenthMs / 1000)).toFixed(0)} items/s in the last ${tenthItems} items`);
        tenthMs = 0;
        tenthItems = 0;
      }
    }
    const writeSeconds = apiMs() / 1000;
    const cpuUsed = process.cpuUsage(writeCpu);
    const writeOthers = otherLoad(writeLoad, cpuSnapshot());
    const writeWall = (performance.now() - writeLoad.at) / 1000;
    store.close();
    store = undefined;

    const bytes = await databaseBytes(file);
    const tables = tableSizes(file);
    const found = counts(file);
    const checks: Array<{ check: string; ok: boolean; detail: string }> = [];
    const expectCount = (what: string, got: number | undefined, expected: number): void => {
      checks.push({ check: `${what} in the database`, ok: got === expected, detail: `${got ?? 'none'}, expected ${expected}` });
    };
    expectCount('runs', found['runs'], totals.runs);
    expectCount('items', found['items'], totals.items);
    expectCount('indexed names', found['names'], totals.items);
    expectCount('validation results', found['validations'], totals.validations);
    expectCount('quarantined files', found['quarantined'], totals.quarantined);
    expectCount('held files', found['held'], totals.held);
    log(`wrote ${totals.items} items in ${writeSeconds.toFixed(1)} s (${(totals.items / writeSeconds).toFixed(0)} items/s); database ${mb(bytes)} MB`);

    // Reopened as the app opens it, with a cold statement cache and SQLite page cache.
    await quiet(Math.min(30_000, opts.quietWaitMs));
    const queryLoad = cpuSnapshot();
    const tOpen = performance.now();
    store = HistoryStore.open(file);
    const openMs = performance.now() - tOpen;
    const queries: QueryResult[] = [];
    for (const spec of querySpecs(store, written, totals.held, random(42))) {
      const q = timeQuery(spec, opts.queries);
      queries.push(q);
      log(`  ${spec.id}: median ${q.medianMs.toFixed(2)} ms, p95 ${q.p95Ms.toFixed(2)} ms, first ${q.firstMs.toFixed(2)} ms${q.failures.length > 0 ? `, FAILED: ${q.failures[0] ?? ''}` : ''}`);
      checks.push({ check: spec.id, ok: q.failures.length === 0, detail: q.failures.join('; ') || 'every call returned what was written' });
    }
    const queryOthers = otherLoad(queryLoad, cpuSnapshot());
    store.close();
    store = undefined;

    const results: StoredHistoryResults = {
      startedAt: startedAt.toISOString(),
      elapsedSeconds: (performance.now() - t0) / 1000,
      machine: machine(),
      revision,
      options: { items: opts.items, runsOf: opts.runsOf, queries: opts.queries, keep: opts.keep, quietWaitMs: opts.quietWaitMs },
      written: {
        runs: totals.runs,
        items: totals.items,
        validations: totals.validations,
        quarantined: totals.quarantined,
        held: totals.held,
        itemWrites: totals.itemWrites,
        commonMatches: totals.commonMatches,
        runsByStatus: totals.byStatus,
        seconds: writeSeconds,
        itemsPerSecond: totals.items / writeSeconds,
        cpuSeconds: (cpuUsed.user + cpuUsed.system) / 1e6,
        wallSeconds: writeWall,
        otherLoad: writeOthers,
        phaseSeconds: Object.fromEntries(Object.entries(totals.ms).map(([k, v]) => [k, v / 1000])),
        tenths,
      },
      database: { bytes, bytesPerItem: bytes / totals.items, openMs, tables },
      queries,
      queriesOtherLoad: queryOthers,
      checks,
    };
    process.stdout.write(`${renderReport(results)}\n`);
    log(`"${COMMON_FRAGMENT}" is in ${totals.commonMatches} of ${totals.items} names`);
    log(`results written to ${await writeResults('history', results.startedAt, results)}`);
    if (checks.some((c) => !c.ok)) process.exitCode = 1;
  } finally {
    store?.close();
    if (opts.keep) log(`database kept: ${file}`);
    else await rm(work, { recursive: true, force: true });
  }
}

await main();
