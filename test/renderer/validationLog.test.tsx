// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryHost, type MemoryHost } from '../../renderer/host/memoryHost.js';
import type { ValidationEntryView } from '../../src/shared/contract/validationCommands.js';
import { answering, callsOf } from './answeringHost.js';
import { renderApp } from './renderApp.js';

afterEach(cleanup);

const START = Date.UTC(2026, 10, 2, 9);
const ENTRIES = 450;

/** The file the partner sent again after #12 was returned to it. */
const RESUBMISSION = 449;
const RETURNED = 12;

/**
 * Validated file `id` of 450: the newest has the highest id; every eleventh passed, every third of the
 * others was returned already; #449 is the resubmission of #12.
 */
function entryOf(id: number): ValidationEntryView {
  const common = {
    id,
    job: id % 2 === 0 ? 'orders' : 'invoices',
    file: `in/ORD-ACME-${id}.csv`,
    partner: 'ACME',
    ruleSet: '*.csv',
    at: START + id * 60_000,
    updatedAt: START + id * 60_000,
    ...(id === RESUBMISSION ? { resubmissionOf: { id: RETURNED, file: `in/ORD-ACME-${RETURNED}.csv` } } : {}),
    ...(id === RETURNED ? { resubmittedAs: { id: RESUBMISSION, file: `in/ORD-ACME-${RESUBMISSION}.csv` } } : {}),
  };
  if (id % 11 === 0) return { ...common, location: `partner:/out/ORD-ACME-${id}.csv`, outcome: 'passed', reasons: [], rules: ['name', 'csv'] };
  return {
    ...common,
    location: `/quarantine/orders/${id}-1`,
    outcome: id % 3 === 0 ? 'returned' : 'held',
    reasons: [{ rule: 'csv', message: `ORD-ACME-${id}.csv line 2, column 3 "qty": 0 is below the minimum 1`, line: 2, column: 3 }],
    rules: ['csv'],
  };
}

/** The in-memory host, answering the validation log's commands from `count` validated files. */
function validationHost(count = ENTRIES): MemoryHost {
  return answering(memoryHost(), {
    'validation.log': ({ filter, before, limit }) => {
      const entries: ValidationEntryView[] = [];
      for (let id = (before?.id ?? count + 1) - 1; id >= 1 && entries.length < limit; id--) {
        const entry = entryOf(id);
        if ((filter.job === undefined || entry.job === filter.job) && (filter.outcome === undefined || entry.outcome === filter.outcome)) entries.push(entry);
      }
      const last = entries.at(-1);
      return { entries, ...(entries.length === limit && last !== undefined ? { next: { at: last.at, id: last.id } } : {}) };
    },
    'validation.entry': ({ id }) => ({ entry: entryOf(id), firstLines: entryOf(id).outcome === 'passed' ? [] : ['order,sku,qty', `${id},ABC-123,0`], binary: false }),
    'validation.return': ({ ids }) => ({ results: ids.map((id) => ({ id, file: entryOf(id).file, outcome: 'returned', detail: `/partner/in/ORD-ACME-${id}.csv` })) }),
    'validation.release': ({ ids, revalidate }) => ({ results: ids.map((id) => ({ id, file: entryOf(id).file, outcome: revalidate ? 'still-invalid' : 'released', detail: '' })) }),
  });
}


async function openLog(host: MemoryHost) {
  await renderApp(host);
  const user = userEvent.setup();
  await user.click(within(screen.getByRole('navigation', { name: 'Main' })).getByRole('link', { name: 'Validation log' }));
  const grid = await screen.findByRole('grid', { name: 'Validated files' });
  await waitFor(() => expect(within(grid).getAllByRole('row').length).toBeGreaterThan(1));
  return { user, grid };
}

describe('the validation log', () => {
  it('lists validated files newest first, passed and refused, each row starting with the file name, and reads the next page by key', async () => {
    const host = validationHost();
    const { grid } = await openLog(host);
    const rows = within(grid).getAllByRole('row');
    expect(rows.length).toBeLessThan(100);
    expect(grid.getAttribute('aria-rowcount')).toBe('-1');
    expect(rows[1]?.textContent).toMatch(/^ORD-ACME-450\.csvordersACME.*Returned.*line 2, column 3/);
    expect(rows[2]?.textContent).toMatch(/^ORD-ACME-449\.csvinvoicesACME.*Held/);
    expect(rows[11]?.textContent).toMatch(/^ORD-ACME-440\.csvordersACME.*PassedPassed name, csv/);
    act(() => grid.focus());
    fireEvent.keyDown(grid, { key: 'End' });
    await waitFor(() => expect(callsOf(host, 'validation.log').at(-1)).toEqual({ filter: {}, limit: 200, before: { at: entryOf(251).at, id: 251 } }));
  });

  it('draws only a window of 5,000 loaded files, and the keyboard reaches the last one, loading pages on the way', async () => {
    const host = validationHost(5000);
    const { grid } = await openLog(host);
    const focusedRow = () => document.getElementById(grid.getAttribute('aria-activedescendant') ?? '')?.textContent;
    act(() => grid.focus());
    for (let pages = 1; grid.getAttribute('aria-rowcount') === '-1' && pages <= 26; pages++) {
      fireEvent.keyDown(grid, { key: 'End' });
      await waitFor(() => expect(callsOf(host, 'validation.log')).toHaveLength(pages + 1));
    }
    expect(grid.getAttribute('aria-rowcount')).toBe('5001');
    fireEvent.keyDown(grid, { key: 'End' });
    await waitFor(() => expect(focusedRow()).toMatch(/^ORD-ACME-1\.csv/));
    expect(within(grid).getAllByRole('row').length).toBeLessThan(100);
    expect(within(grid).getByRole('row', { name: /^ORD-ACME-1\.csv/ }).getAttribute('aria-rowindex')).toBe('5001');
    fireEvent.keyDown(grid, { key: 'ArrowUp' });
    await waitFor(() => expect(focusedRow()).toMatch(/^ORD-ACME-2\.csv/));
    fireEvent.keyDown(grid, { key: 'Home' });
    await waitFor(() => expect(focusedRow()).toMatch(/^ORD-ACME-5000\.csv/));
    expect(within(grid).queryByRole('row', { name: /^ORD-ACME-1\.csv/ })).toBeNull();
  });

  it('filters by job, outcome and dates from labelled fields', async () => {
    const host = validationHost();
    const { user, grid } = await openLog(host);
    const form = screen.getByRole('form', { name: 'Filter the validation log' });
    await user.type(within(form).getByLabelText('Job'), 'orders');
    await user.selectOptions(within(form).getByLabelText('Outcome'), 'held');
    await user.type(within(form).getByLabelText('From'), '2026-11-01');
    await user.type(within(form).getByLabelText('To'), '2026-11-07');
    await user.click(within(form).getByRole('button', { name: 'Show files' }));
    const from = new Date('2026-11-01T00:00').getTime();
    const to = new Date('2026-11-08T00:00').getTime();
    await waitFor(() => expect(callsOf(host, 'validation.log').at(-1)).toEqual({ filter: { job: 'orders', outcome: 'held', from, to }, limit: 200 }));
    await waitFor(() => expect(within(grid).getAllByRole('row')[1]?.textContent).toMatch(/^ORD-ACME-448\.csvorders.*Held/));
  });

  it('filters by partner, rule and file name from labelled fields', async () => {
    const host = validationHost();
    const { user } = await openLog(host);
    const form = screen.getByRole('form', { name: 'Filter the validation log' });
    await user.type(within(form).getByLabelText('Partner'), ' ACME ');
    await user.selectOptions(within(form).getByLabelText('Rule'), 'csv');
    await user.selectOptions(within(form).getByLabelText('Outcome'), 'passed');
    await user.type(within(form).getByLabelText('File name'), 'ACME-44{Enter}');
    await waitFor(() => expect(callsOf(host, 'validation.log').at(-1)).toEqual({ filter: { outcome: 'passed', partner: 'ACME', rule: 'csv', name: 'ACME-44' }, limit: 200 }));
  });

  it('opens a file that passed with its rules, and offers nothing to release or return', async () => {
    const host = validationHost();
    const { user, grid } = await openLog(host);
    await user.dblClick(within(grid).getByRole('row', { name: /^ORD-ACME-440\.csv/ }));
    const details = screen.getByRole('complementary', { name: 'Validated file' });
    await waitFor(() => expect(within(details).getByRole('heading', { name: 'ORD-ACME-440.csv' })).toBeDefined());
    expect(details.textContent).toContain('orders, from ACME');
    expect(details.textContent).toContain('Passed. Read from partner:/out/ORD-ACME-440.csv.');
    expect(within(details).getByRole('heading', { name: 'Rules passed' })).toBeDefined();
    expect(within(details).getAllByRole('listitem').map((li) => li.textContent)).toEqual(['name', 'csv']);
    for (const action of ['Re-validate', 'Release', 'Return to partner']) expect(within(details).getByRole('button', { name: action }).hasAttribute('disabled')).toBe(true);
  });

  it('leads from a resubmission to the file that was returned and back, by links the keyboard follows', async () => {
    const host = validationHost();
    const { user, grid } = await openLog(host);
    act(() => grid.focus());
    await user.keyboard('{ArrowDown}{Enter}');
    const details = screen.getByRole('complementary', { name: 'Validated file' });
    const back = await within(details).findByRole('link', { name: `ORD-ACME-${RETURNED}.csv` });
    expect(back.parentElement?.textContent).toBe(`Resubmission of ORD-ACME-${RETURNED}.csv`);
    act(() => back.focus());
    await user.keyboard('{Enter}');
    await waitFor(() => expect(within(details).getByRole('heading', { name: `ORD-ACME-${RETURNED}.csv` })).toBeDefined());
    const forward = within(details).getByRole('link', { name: `ORD-ACME-${RESUBMISSION}.csv` });
    expect(forward.parentElement?.textContent).toBe(`Resubmitted as ORD-ACME-${RESUBMISSION}.csv`);
    await user.click(forward);
    await waitFor(() => expect(within(details).getByRole('heading', { name: `ORD-ACME-${RESUBMISSION}.csv` })).toBeDefined());
    expect(callsOf(host, 'validation.entry')).toEqual([{ id: RESUBMISSION }, { id: RETURNED }, { id: RESUBMISSION }]);
  });

  it('opens a file from the keyboard with its reason at line and column and its first lines, and releases it', async () => {
    const host = validationHost();
    const { user, grid } = await openLog(host);
    act(() => grid.focus());
    await user.keyboard('{ArrowDown}{Enter}');
    const details = screen.getByRole('complementary', { name: 'Validated file' });
    await waitFor(() => expect(within(details).getByRole('heading', { name: 'ORD-ACME-449.csv' })).toBeDefined());
    expect(details.textContent).toContain('Line 2, column 3 — csv: ORD-ACME-449.csv line 2, column 3 "qty"');
    const lines = within(details).getByLabelText('First lines of ORD-ACME-449.csv');
    expect(lines.textContent).toBe('1  order,sku,qty\n2  449,ABC-123,0\n');
    expect(lines.querySelector('mark')?.textContent).toBe('2  449,ABC-123,0');
    await user.click(within(details).getByRole('button', { name: 'Release' }));
    await waitFor(() => expect(callsOf(host, 'validation.release')).toEqual([{ ids: [449], revalidate: false }]));
    await waitFor(() => expect(screen.getByRole('status', { name: 'Last action' }).textContent).toContain('ORD-ACME-449.csv: released'));
  });

  it('returns a selection to the partner with a note', async () => {
    const host = validationHost();
    const { user, grid } = await openLog(host);
    act(() => grid.focus());
    await user.keyboard('{ArrowDown}{ArrowDown} ');
    await user.click(within(grid).getByRole('checkbox', { name: 'Select ORD-ACME-446.csv' }));
    expect(within(grid).getAllByRole('row').filter((r) => r.getAttribute('aria-selected') === 'true').map((r) => r.textContent?.slice(0, 16))).toEqual(['ORD-ACME-448.csv', 'ORD-ACME-446.csv']);
    const actions = screen.getByRole('group', { name: 'Act on 2 selected' });
    expect(actions).toBeDefined();
    await user.type(screen.getByLabelText('Note to the partner'), 'Fix the quantities.');
    await user.click(screen.getByRole('button', { name: 'Return to partner' }));
    await waitFor(() => expect(callsOf(host, 'validation.return')).toEqual([{ ids: [448, 446], note: 'Fix the quantities.' }]));
    await waitFor(() => expect(callsOf(host, 'validation.log')).toHaveLength(2));
  });
});
