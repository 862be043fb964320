import { TransferError } from '../../connectors/errors.js';
import { csvRecord } from '../../history/csv.js';
import { HIT_CSV_HEADER, hitCsvFields, ITEM_CSV_HEADER, itemCsvFields, RUN_CSV_HEADER, runCsvFields, TRAIL_CSV_HEADER, trailCsvFields } from '../../history/csvRows.js';
import type { HistoryStore } from '../../history/HistoryStore.js';
import type { ItemId, ItemRecord, ItemSearchHit, RunId, RunRecord } from '../../history/records.js';
import type { TrailStep } from '../../history/views.js';
import type { HISTORY_COMMANDS, HistoryView, ItemHitView, ItemView, RunView, TrailStepView } from '../../shared/contract/historyCommands.js';
import type { HandlersOf, HostContext } from './HostContext.js';

/** Rows per part of a CSV export: a few hundred kilobytes per answer, whatever the view. */
const CSV_PART_ROWS = 2000;

interface CsvPart {
  readonly header: ReadonlyArray<string>;
  readonly records: ReadonlyArray<string>;
  readonly next: string | undefined;
}

/** The history screen: the same store, queries and CSV columns as `ferry history`. */
export function historyHandlers({ workspace }: HostContext): HandlersOf<typeof HISTORY_COMMANDS> {
  const history = (): Promise<HistoryStore> => workspace.history();
  return {
    'history.runs': async ({ filter, before, limit }) => {
      const runs = (await history()).listRuns({ ...filter, limit, ...(before === undefined ? {} : { before: before as RunId }) });
      return { runs: runs.map(runView), ...nextOf(runs, limit, (r) => r.id) };
    },
    'history.items': async ({ runId, status, after, limit }) => {
      const store = await history();
      const run = existingRun(store, runId);
      const items = store.runItems(run.id, { limit, ...(status === undefined ? {} : { status }), ...(after === undefined ? {} : { after }) });
      return { run: runView(run), items: items.map(itemView), ...nextOf(items, limit, (i) => i.sourcePath) };
    },
    'history.search': async ({ text, before, limit }) => {
      const hits = (await history()).searchItemsPage({ text: text.trim(), limit, ...(before === undefined ? {} : { before: before as ItemId }) });
      return { hits: hits.map(hitView), ...nextOf(hits, limit, (h) => h.id) };
    },
    'history.trail': async ({ name, after, limit }) => {
      const page = (await history()).fileTrail({ name: name.trim(), limit, ...(after === undefined ? {} : { after: after as ItemId }) });
      return { steps: page.steps.map(trailStepView), ...(page.next === undefined ? {} : { next: page.next }) };
    },
    'history.csv': async ({ view, cursor }) => {
      const part = csvPart(await history(), view, cursor);
      const text = (cursor === undefined ? csvRecord(part.header) : '') + part.records.join('');
      return { csv: text, rows: part.records.length, ...(part.next === undefined ? {} : { next: part.next }) };
    },
  };
}

function existingRun(store: HistoryStore, id: number): RunRecord {
  const run = store.run(id as RunId);
  if (run === undefined) throw new TransferError('notFound', `There is no run #${id} in the history: it may have been removed by the retention policy`);
  return run;
}

/** A full page may have a successor, keyed by its last row; a shorter one is the last. */
function nextOf<R, K>(rows: ReadonlyArray<R>, limit: number, key: (row: R) => K): { next?: K } {
  const last = rows.at(-1);
  return rows.length === limit && last !== undefined ? { next: key(last) } : {};
}

function csvPart(store: HistoryStore, view: HistoryView, cursor: string | undefined): CsvPart {
  const limit = CSV_PART_ROWS;
  switch (view.kind) {
    case 'runs': {
      const runs = store.listRuns({ ...view.filter, limit, ...(cursor === undefined ? {} : { before: cursorId(cursor) as RunId }) });
      return { header: RUN_CSV_HEADER, records: runs.map((r) => csvRecord(runCsvFields(r))), next: idString(nextOf(runs, limit, (r) => r.id).next) };
    }
    case 'items': {
      const run = existingRun(store, view.runId);
      const items = store.runItems(run.id, { limit, ...(cursor === undefined ? {} : { after: cursor }) });
      return { header: ITEM_CSV_HEADER, records: items.map((i) => csvRecord(itemCsvFields(i))), next: nextOf(items, limit, (i) => i.sourcePath).next };
    }
    case 'search': {
      const hits = store.searchItemsPage({ text: view.text.trim(), limit, ...(cursor === undefined ? {} : { before: cursorId(cursor) as ItemId }) });
      return { header: HIT_CSV_HEADER, records: hits.map((h) => csvRecord(hitCsvFields(h))), next: idString(nextOf(hits, limit, (h) => h.id).next) };
    }
    case 'trail': {
      const page = store.fileTrail({ name: view.name.trim(), limit, ...(cursor === undefined ? {} : { after: cursorId(cursor) as ItemId }) });
      return { header: TRAIL_CSV_HEADER, records: page.steps.map((s) => csvRecord(trailCsvFields(s))), next: idString(page.next) };
    }
  }
}

function cursorId(cursor: string): number {
  const id = Number(cursor);
  if (!/^\d+$/.test(cursor) || !Number.isSafeInteger(id)) throw new TransferError('config', `"${cursor}" is not a cursor this export gave: start the export again`);
  return id;
}

function idString(id: number | undefined): string | undefined {
  return id === undefined ? undefined : String(id);
}

function runView(run: RunRecord): RunView {
  return { ...run };
}

function itemView(item: ItemRecord): ItemView {
  return {
    id: item.id,
    runId: item.runId,
    sourcePath: item.sourcePath,
    ...(item.targetPath === undefined ? {} : { targetPath: item.targetPath }),
    status: item.status,
    bytes: item.bytes,
    ...(item.errorKind === undefined ? {} : { errorKind: item.errorKind }),
    ...(item.reason === undefined ? {} : { reason: item.reason }),
    verifiedBy: [...item.verifiedBy],
    ...(item.checksum === undefined ? {} : { checksum: item.checksum }),
    ...(item.durationMs === undefined ? {} : { durationMs: item.durationMs }),
    updatedAt: item.updatedAt,
  };
}

function hitView(hit: ItemSearchHit): ItemHitView {
  return { ...itemView(hit), job: hit.job, runStartedAt: hit.runStartedAt };
}

function trailStepView(step: TrailStep): TrailStepView {
  switch (step.kind) {
    case 'run':
      return { kind: 'run', at: step.at, item: itemView(step.item), job: step.job, runKind: step.runKind, source: step.source, target: step.target, runStatus: step.runStatus };
    case 'validation':
      return { kind: 'validation', at: step.at, runId: step.runId, rule: step.rule, passed: step.passed, message: step.message };
    case 'quarantine':
      return { kind: 'quarantine', at: step.at, runId: step.runId, action: step.action, reason: step.reason, location: step.location };
  }
}
