import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ferryPaths } from '../../src/config/ferryHome.js';
import type { CoreHost } from '../../src/host/CoreHost.js';
import { createFerryHost } from '../../src/host/FerryHost.js';
import type { HistoryView } from '../../src/shared/contract/historyCommands.js';
import type { CommandInput, CommandName, CommandOutput } from '../../src/shared/contract/commands.js';
import type { Wire } from '../../src/shared/contract/wire.js';
import { Workspace } from '../../src/workspace/Workspace.js';

const DAY = 86_400_000;
const START = Date.UTC(2026, 10, 1);

/** The history screen's commands over a real history: 30 runs of two jobs, a file's whole way through them. */
describe('the core behind the history screen', () => {
  let home: string;
  let workspace: Workspace;
  let core: CoreHost;

  beforeAll(async () => {
    home = await mkdtemp(join(tmpdir(), 'ferry-history-host-'));
    workspace = new Workspace(ferryPaths({ FERRY_HOME: home }), { FERRY_HOME: home });
    core = createFerryHost({ workspace, host: 'web', version: '0.1.0' });
    const history = await workspace.history();
    for (let r = 0; r < 30; r++) {
      const job = r % 2 === 0 ? 'invoices' : 'orders';
      const run = history.startRun({ job, kind: 'job', source: 'partner-sftp:/out', target: 'org:Account', dryRun: false, startedAt: START + r * DAY });
      const [, daily] = history.recordItems(run, [
        { sourcePath: `out/INV-${r}.pdf`, targetPath: `Account/Acme/INV-${r}.pdf`, stage: 'done', status: 'copied', bytes: 100 + r, verifiedBy: ['size', 'md5'], checksum: `md5:${String(r).padStart(32, '0')}`, durationMs: 1500 + r },
        { sourcePath: 'out/daily, "orders".csv', stage: 'validated', status: r % 3 === 0 ? 'quarantined' : 'copied', bytes: 7, ...(r % 3 === 0 ? { reason: 'line 2: no amount' } : {}) },
      ]);
      if (daily !== undefined) {
        history.recordValidation({ itemId: daily, rule: 'orders-csv', passed: r % 3 !== 0, message: r % 3 === 0 ? 'line 2: no amount' : 'ok', at: START + r * DAY + 10 });
        if (r % 3 === 0) history.recordQuarantine({ itemId: daily, job, file: 'out/daily, "orders".csv', location: '/q/daily.csv', reason: 'line 2: no amount', action: 'quarantined', at: START + r * DAY + 20 });
      }
      history.finishRun(run, { status: r % 5 === 0 ? 'partial' : 'succeeded', files: 2, bytes: 107 + r, failed: 0, skipped: 0, finishedAt: START + r * DAY + 60_000 });
    }
    const preview = history.startRun({ job: 'invoices', kind: 'job', source: 'a', target: 'b', dryRun: true, startedAt: START + 40 * DAY });
    history.recordItem(preview, { sourcePath: 'out/INV-99.pdf', stage: 'discovered', status: 'planned', bytes: 1 });
    history.finishRun(preview, { status: 'succeeded', files: 1, bytes: 1, failed: 0, skipped: 0 });
  });
  afterAll(async () => {
    await core?.close();
    workspace?.close();
    await rm(home, { recursive: true, force: true });
  });

  const answer = async <C extends CommandName>(command: C, input: CommandInput<C>): Promise<Wire<CommandOutput<C>>> => (await core.invoke(command, input)) as Wire<CommandOutput<C>>;
  const call = async <C extends CommandName>(command: C, input: CommandInput<C>): Promise<CommandOutput<C>> => {
    const result = await answer(command, input);
    if (!result.ok) throw new Error(`${command} failed: ${result.error.kind}: ${result.error.message}`);
    return result.value;
  };

  it('pages every run newest first by key, each once, and filters by job, status and dates', async () => {
    const seen: number[] = [];
    let before: number | undefined;
    for (;;) {
      const page = await call('history.runs', { filter: {}, limit: 7, ...(before === undefined ? {} : { before }) });
      seen.push(...page.runs.map((r) => r.startedAt));
      if (page.next === undefined) break;
      before = page.next;
    }
    expect(seen).toEqual([START + 40 * DAY, ...Array.from({ length: 30 }, (_, i) => START + (29 - i) * DAY)]);
    const filtered = await call('history.runs', { filter: { job: 'orders', status: 'partial', from: START + 10 * DAY, to: START + 30 * DAY }, limit: 50 });
    expect(filtered.runs.map((r) => [r.job, r.status, (r.startedAt - START) / DAY])).toEqual([
      ['orders', 'partial', 25],
      ['orders', 'partial', 15],
    ]);
    expect(filtered.next).toBeUndefined();
  });

  it("lists a run's files with outcome, size, checks and reason, and names a run that is not there", async () => {
    const [run] = (await call('history.runs', { filter: { to: START + DAY }, limit: 1 })).runs;
    const page = await call('history.items', { runId: run?.id ?? 0, limit: 10 });
    expect(page.run.finishedAt).toBe(START + 60_000);
    expect(page.items.map((i) => [i.sourcePath, i.status, i.bytes, i.verifiedBy, i.checksum, i.durationMs, i.reason])).toEqual([
      ['out/INV-0.pdf', 'copied', 100, ['size', 'md5'], `md5:${'0'.repeat(32)}`, 1500, undefined],
      ['out/daily, "orders".csv', 'quarantined', 7, [], undefined, undefined, 'line 2: no amount'],
    ]);
    const missing = await answer('history.items', { runId: 9999, limit: 10 });
    expect(missing.ok ? 'found' : `${missing.error.kind}: ${missing.error.message}`).toMatch(/^notFound: There is no run #9999/);
  });

  it('finds a file name across all runs a page at a time, newest first, leaving previews out', async () => {
    const first = await call('history.search', { text: 'inv-2', limit: 5 });
    const second = await call('history.search', { text: 'inv-2', limit: 5, before: first.next ?? 0 });
    const names = [...first.hits, ...second.hits].map((h) => h.sourcePath);
    expect(names).toEqual(['out/INV-29.pdf', 'out/INV-28.pdf', 'out/INV-27.pdf', 'out/INV-26.pdf', 'out/INV-25.pdf', 'out/INV-24.pdf', 'out/INV-23.pdf', 'out/INV-22.pdf', 'out/INV-21.pdf', 'out/INV-20.pdf']);
    expect(first.hits[0]).toMatchObject({ job: 'orders', runStartedAt: START + 29 * DAY, targetPath: 'Account/Acme/INV-29.pdf' });
    const third = await call('history.search', { text: 'inv-2', limit: 5, before: second.next ?? 0 });
    expect(third.hits.map((h) => h.sourcePath)).toEqual(['out/INV-2.pdf']);
    expect(third.next).toBeUndefined();
  });

  it("follows one file's way through every run in order: each run, then its validation and quarantine", async () => {
    const steps: Array<CommandOutput<'history.trail'>['steps'][number]> = [];
    let after: number | undefined;
    for (;;) {
      const page = await call('history.trail', { name: 'daily, "orders".csv', limit: 4, ...(after === undefined ? {} : { after }) });
      steps.push(...page.steps);
      if (page.next === undefined) break;
      after = page.next;
    }
    const runsSeen = steps.filter((s) => s.kind === 'run');
    expect(runsSeen.map((s) => s.at)).toEqual(Array.from({ length: 30 }, (_, i) => START + i * DAY));
    expect(steps.slice(0, 4).map((s) => s.kind)).toEqual(['run', 'validation', 'quarantine', 'run']);
    expect(steps[2]).toMatchObject({ kind: 'quarantine', action: 'quarantined', reason: 'line 2: no amount', location: '/q/daily.csv' });
    const other = await call('history.trail', { name: 'orders".csv', limit: 4 });
    expect(other.steps).toEqual([]);
  });

  /** Joins the parts as the window does. */
  const exportCsv = async (view: HistoryView): Promise<string[]> => {
    let text = '';
    let cursor: string | undefined;
    for (;;) {
      const part = await call('history.csv', { view, ...(cursor === undefined ? {} : { cursor }) });
      text += part.csv;
      if (part.next === undefined) return text.split('\r\n').slice(0, -1);
      cursor = part.next;
    }
  };

  it('exports any view as CSV built by the core, header first, quoting what needs quotes', async () => {
    const runs = await exportCsv({ kind: 'runs', filter: { job: 'invoices', status: 'partial' } });
    expect(runs[0]).toBe('id,job,kind,source,target,started_at,finished_at,status,dry_run,files,bytes,failed,skipped,error');
    expect(runs.slice(1).map((line) => line.split(',').slice(1, 2).concat(line.split(',')[5] ?? ''))).toEqual([
      ['invoices', new Date(START + 20 * DAY).toISOString()],
      ['invoices', new Date(START + 10 * DAY).toISOString()],
      ['invoices', new Date(START).toISOString()],
    ]);
    const hits = await exportCsv({ kind: 'search', text: 'orders' });
    expect(hits).toHaveLength(31);
    expect(hits[1]).toMatch(/^\d+,orders,2026-11-30T00:00:00.000Z,"out\/daily, ""orders"".csv",,validated,copied,7,/);
    const trail = await exportCsv({ kind: 'trail', name: 'INV-3.pdf' });
    expect(trail).toEqual(['at,step,run_id,job,source_path,target_path,status,bytes,detail', expect.stringMatching(/^2026-11-04T00:00:00.000Z,job,\d+,orders,out\/INV-3.pdf,Account\/Acme\/INV-3.pdf,copied,103,$/)]);
  });
});
