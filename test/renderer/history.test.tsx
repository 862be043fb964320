// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { memoryHost, type MemoryHost } from '../../renderer/host/memoryHost.js';
import type { ItemView, RunView } from '../../src/shared/contract/historyCommands.js';
import { answering, callsOf } from './answeringHost.js';
import { renderApp } from './renderApp.js';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const RUNS = 1_000_000;
const DAY = 86_400_000;
const START = Date.UTC(2024, 0, 1);

/** Run `id` of a million, made when asked: the newest has the highest id. */
function runOf(id: number): RunView {
  return { id, job: id % 2 === 0 ? 'invoices' : 'orders', kind: 'job', source: 'partner-sftp:/out', target: 'org:Account', startedAt: START + id * 60_000, finishedAt: START + id * 60_000 + 4_000, status: id % 7 === 0 ? 'failed' : 'succeeded', dryRun: false, files: 2, bytes: 2048, failed: id % 7 === 0 ? 1 : 0, skipped: 0 };
}

function invoiceOf(runId: number): ItemView {
  return { id: runId * 2, runId, sourcePath: `out/INV-ACC-${runId}.pdf`, targetPath: `Account/Acme/INV-ACC-${runId}.pdf`, status: 'copied', bytes: 1024, verifiedBy: ['size', 'md5'], checksum: 'md5:9e107d9d372bb6826bd81d3542a419d6', updatedAt: START };
}

function refusedOf(runId: number): ItemView {
  return { id: runId * 2 + 1, runId, sourcePath: 'out/orders.csv', status: 'failed', bytes: 0, errorKind: 'permission', reason: 'the server refused to write', verifiedBy: [], updatedAt: START };
}

/** The in-memory host, answering the history's commands from a million runs made on demand. */
function historyHost(csvParts: ReadonlyArray<string> = ['id,job\r\n', '2,invoices\r\n', '1,orders\r\n']): MemoryHost {
  return answering(memoryHost(), {
    'history.runs': ({ filter, before, limit }) => {
      const runs: RunView[] = [];
      for (let id = Math.min(RUNS, (before ?? RUNS + 1) - 1); id >= 1 && runs.length < limit; id--) {
        const run = runOf(id);
        if ((filter.job === undefined || run.job === filter.job) && (filter.status === undefined || run.status === filter.status)) runs.push(run);
      }
      const last = runs.at(-1);
      return { runs, ...(runs.length === limit && last !== undefined ? { next: last.id } : {}) };
    },
    'history.items': ({ runId }) => ({ run: runOf(runId), items: [invoiceOf(runId), refusedOf(runId)] }),
    'history.search': ({ text }) => ({ hits: [5, 4].map((runId) => ({ ...invoiceOf(runId), job: runOf(runId).job, runStartedAt: runOf(runId).startedAt })).filter((h) => h.sourcePath.includes(text)) }),
    'history.trail': ({ name }) => ({
      steps: [3, 9].map((runId) => ({ kind: 'run', at: runOf(runId).startedAt, item: { ...refusedOf(runId), sourcePath: `out/${name}` }, job: 'orders', runKind: 'job', source: 'partner-sftp:/out', target: 'org:Account', runStatus: 'succeeded' })),
    }),
    'history.csv': ({ cursor }) => {
      const at = cursor === undefined ? 0 : Number(cursor);
      return { csv: csvParts[at] ?? '', rows: at === 0 ? 0 : 1, ...(at + 1 < csvParts.length ? { next: String(at + 1) } : {}) };
    },
  });
}

async function openHistory(host: MemoryHost) {
  const app = await renderApp(host);
  const user = userEvent.setup();
  await user.click(within(screen.getByRole('navigation', { name: 'Main' })).getByRole('link', { name: 'History' }));
  const grid = await screen.findByRole('grid', { name: 'Runs' });
  await waitFor(() => expect(within(grid).getAllByRole('row').length).toBeGreaterThan(1));
  return { ...app, user, grid };
}


describe('the history screen', () => {
  it('lists a million runs newest first, drawing only the rows in view and reading the next page by key', async () => {
    const host = historyHost();
    const { grid } = await openHistory(host);
    const rows = within(grid).getAllByRole('row');
    expect(rows.length).toBeLessThan(100);
    expect(rows[1]?.textContent).toMatch(/^invoices/);
    expect(grid.getAttribute('aria-rowcount')).toBe('-1');
    act(() => {
      grid.focus();
    });
    fireEvent.keyDown(grid, { key: 'End' });
    await waitFor(() => expect(callsOf(host, 'history.runs')).toContainEqual({ filter: {}, limit: 200, before: RUNS - 199 }));
    expect(within(grid).getAllByRole('row').length).toBeLessThan(100);
  });

  it('filters runs by job, status and dates from labelled fields', async () => {
    const host = historyHost();
    const { user } = await openHistory(host);
    const form = screen.getByRole('form', { name: 'Filter runs' });
    await user.type(within(form).getByLabelText('Job'), 'orders');
    await user.selectOptions(within(form).getByLabelText('Status'), 'failed');
    fireEvent.change(within(form).getByLabelText('From'), { target: { value: '2026-11-01' } });
    fireEvent.change(within(form).getByLabelText('To'), { target: { value: '2026-11-07' } });
    await user.click(within(form).getByRole('button', { name: 'Show runs' }));
    const from = new Date('2026-11-01T00:00').getTime();
    const to = new Date('2026-11-07T00:00').getTime() + DAY;
    await waitFor(() => expect(callsOf(host, 'history.runs').at(-1)).toEqual({ filter: { job: 'orders', status: 'failed', from, to }, limit: 200 }));
    const grid = screen.getByRole('grid', { name: 'Runs' });
    await waitFor(() => expect(within(grid).getAllByRole('row')[1]?.textContent).toMatch(/^orders.*Failed/));
  });

  it("opens a run's files from the keyboard, with outcome, size, checksum and error, and then a file's way", async () => {
    const host = historyHost();
    const { grid, user } = await openHistory(host);
    act(() => grid.focus());
    await user.keyboard('{ArrowDown}{Enter}');
    const files = await screen.findByRole('grid', { name: new RegExp(`^Files of run #${RUNS - 1}`) });
    const [, first, second] = within(files).getAllByRole('row');
    expect(first?.textContent).toMatch(new RegExp(`^INV-ACC-${RUNS - 1}\\.pdfCopied1 KBsize, MD5MD5 9e107d9d`));
    expect(second?.textContent).toMatch(/^orders\.csvFailed.*the server refused to write/);
    const details = screen.getByRole('complementary', { name: 'Details' });
    expect(details.textContent).toContain('MD5 9e107d9d372bb6826bd81d3542a419d6');
    act(() => files.focus());
    await user.keyboard('{ArrowDown}{Enter}');
    const trail = await screen.findByRole('grid', { name: 'The way of orders.csv' });
    await waitFor(() => expect(within(trail).getAllByRole('row').map((r) => r.textContent?.slice(0, 10))).toEqual(['StepWhenRu', 'orders.csv', 'orders.csv']));
    await user.click(screen.getByRole('button', { name: 'Back' }));
    await screen.findByRole('grid', { name: new RegExp(`^Files of run #${RUNS - 1}`) });
    await user.click(screen.getByRole('button', { name: 'All runs' }));
    await screen.findByRole('grid', { name: 'Runs' });
  });

  it('searches file names across all runs from three characters on', async () => {
    const host = historyHost();
    const { user } = await openHistory(host);
    const search = screen.getByRole('search', { name: 'Find a file in every run' });
    await user.type(within(search).getByLabelText('File name'), 'IN');
    expect(within(search).getByRole('button', { name: 'Search' }).hasAttribute('disabled')).toBe(true);
    await user.type(within(search).getByLabelText('File name'), 'V-ACC{Enter}');
    const hits = await screen.findByRole('grid', { name: 'Files named like “INV-ACC”' });
    await waitFor(() => expect(within(hits).getAllByRole('row').slice(1).map((r) => r.textContent?.slice(0, 14))).toEqual(['INV-ACC-5.pdf#', 'INV-ACC-4.pdf#']));
    expect(callsOf(host, 'history.search')).toEqual([{ text: 'INV-ACC', limit: 200 }]);
  });

  it('exports the view as CSV made by the core, part after part, as one download', async () => {
    const host = historyHost();
    await openHistory(host);
    const blobs: Blob[] = [];
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      blobs.push(blob as Blob);
      return 'blob:history';
    });
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
    const clicked = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    await userEvent.setup().click(screen.getByRole('button', { name: 'Export CSV' }));
    await screen.findByText('ferry-runs.csv: 2 rows exported.');
    expect(callsOf(host, 'history.csv')).toEqual([{ view: { kind: 'runs', filter: {} } }, { view: { kind: 'runs', filter: {} }, cursor: '1' }, { view: { kind: 'runs', filter: {} }, cursor: '2' }]);
    expect(await blobs[0]?.text()).toBe('id,job\r\n2,invoices\r\n1,orders\r\n');
    expect(clicked).toHaveBeenCalledTimes(1);
  });
});
