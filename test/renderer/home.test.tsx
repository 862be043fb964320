// @vitest-environment happy-dom
import { act, cleanup, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryHost, type MemoryHost } from '../../renderer/host/memoryHost.js';
import type { RunView } from '../../src/shared/contract/historyCommands.js';
import type { AttentionRaised, HomeSummary } from '../../src/shared/contract/homeCommands.js';
import type { ValidationEntryView } from '../../src/shared/contract/validationCommands.js';
import { answering, callsOf } from './answeringHost.js';
import { renderApp } from './renderApp.js';

afterEach(cleanup);

const NOW = Date.UTC(2026, 2, 10, 9, 0);
const DAY = 86_400_000;

function runOf(id: number, status: RunView['status'] = 'failed'): RunView {
  return { id, job: 'inbound', kind: 'job', source: 'partner-sftp:/out', target: '/erp', startedAt: NOW - 3_600_000, finishedAt: NOW - 3_500_000, status, dryRun: false, files: 2, bytes: 20, failed: 1, skipped: 0 };
}

function entryOf(id: number): ValidationEntryView {
  return { id, job: 'inbound', file: `ORD-ACME-${id}.csv`, location: '/q', outcome: 'held', reasons: [{ rule: 'csv', message: 'qty must be at least 1', line: 2, column: 3 }], rules: ['csv'], at: NOW, updatedAt: NOW };
}

const SUMMARY: HomeSummary = {
  attention: [
    { key: 'failure:41', kind: 'failure', title: 'inbound failed', text: 'the partner server refused the login', at: NOW - 3_500_000, action: 'Open the run', target: { kind: 'run', runId: 41 }, dismissible: true },
    { key: 'quarantine:inbound', kind: 'quarantine', title: '2 files held for inbound', text: 'Refused by validation.', action: 'Open the validation log', target: { kind: 'validation', job: 'inbound', entryId: 7 }, dismissible: false },
    { key: 'paused', kind: 'paused', title: 'Schedules are paused', text: 'No job runs on its schedule.', action: 'Resume schedules', target: { kind: 'schedules' }, dismissible: false },
  ],
  today: [runOf(41), runOf(42, 'succeeded')],
  next: [{ job: 'outbound', at: NOW + 3_600_000 }],
  days: Array.from({ length: 30 }, (_, i) => ({ day: new Date(NOW - (29 - i) * DAY).toISOString().slice(0, 10), start: NOW - (29 - i) * DAY, moved: i, refused: i % 3 })),
  at: NOW,
};

/** The in-memory host answering Home's, the history's and the validation log's commands. */
function homeHost(): MemoryHost {
  return answering(memoryHost(), {
    'home.summary': () => SUMMARY,
    'home.dismiss': () => ({}),
    'home.resumeSchedules': () => ({}),
    'history.runs': () => ({ runs: [runOf(41)] }),
    'history.items': ({ runId }) => ({ run: runOf(runId), items: [{ id: 1, runId, sourcePath: 'out/ORD-1.csv', status: 'failed', bytes: 10, reason: 'refused by the server', verifiedBy: [], updatedAt: NOW }] }),
    'validation.log': () => ({ entries: [entryOf(9), entryOf(7)] }),
    'validation.entry': ({ id }) => ({ entry: entryOf(id), firstLines: ['order,sku,qty'], binary: false }),
  });
}

const FAILURE: AttentionRaised = { id: 'failure:41', kind: 'failure', title: 'inbound failed', text: 'the partner server refused the login', at: NOW, target: { kind: 'run', runId: 41 } };
const REFUSED: AttentionRaised = { id: 'quarantine:7', kind: 'quarantine', title: 'inbound: ORD-ACME-7.csv refused', text: 'qty must be at least 1', at: NOW, target: { kind: 'validation', job: 'inbound', entryId: 7 } };

const nav = () => screen.getByRole('navigation', { name: 'Main' });

describe('Home', () => {
  it('lists what needs attention with its action, then today’s and the next runs, then the chart with its numbers', async () => {
    const host = homeHost();
    const app = await renderApp(host);
    const user = userEvent.setup();
    await user.click(within(nav()).getByRole('link', { name: 'Home' }));
    const attention = await screen.findByRole('region', { name: 'Needs attention (3)' });
    expect(within(attention).getAllByRole('heading', { level: 3 }).map((h) => h.textContent)).toEqual(['inbound failed', '2 files held for inbound', 'Schedules are paused']);
    const open = within(attention).getByRole('button', { name: 'Open the run', description: 'inbound failed' });
    expect(within(screen.getByRole('table', { name: "Today's runs" })).getAllByRole('row')).toHaveLength(3);
    expect(within(screen.getByRole('table', { name: 'Next runs' })).getByRole('rowheader').textContent).toBe('outbound');
    const chart = screen.getByRole('figure', { name: 'Files moved and refused, last 30 days' });
    const lastDay = within(chart).getAllByRole('row').at(-1);
    expect(lastDay?.textContent).toBe(`${SUMMARY.days[29]?.day ?? ''}292`);

    await user.click(within(attention).getByRole('button', { name: 'Resume schedules' }));
    expect(callsOf(host, 'home.resumeSchedules')).toEqual([{}]);
    await user.click(within(attention).getByRole('button', { name: 'Dismiss', description: 'inbound failed' }));
    expect(callsOf(host, 'home.dismiss')).toEqual([{ runId: 41 }]);

    open.focus();
    await user.keyboard('{Enter}');
    expect(app.stores.ui.getState().section).toBe('history');
    await screen.findByRole('grid', { name: /^Files of run #41/ });
  });

  it('opens the validation log at the held file from its card', async () => {
    const host = homeHost();
    const app = await renderApp(host);
    const user = userEvent.setup();
    await user.click(within(nav()).getByRole('link', { name: 'Home' }));
    await user.click(await screen.findByRole('button', { name: 'Open the validation log' }));
    expect(app.stores.ui.getState().section).toBe('validation');
    await waitFor(() => expect(callsOf(host, 'validation.entry')).toEqual([{ id: 7 }]));
    expect(callsOf(host, 'validation.log')).toEqual([expect.objectContaining({ filter: { job: 'inbound', outcome: 'held' } })]);
    await waitFor(() => expect(app.stores.validationLog.getState().opened?.entry.id).toBe(7));
  });
});

describe('notices inside the window', () => {
  it('shows a failure as an alert without taking the focus, counts it on History, and opens the run’s files from its button', async () => {
    const host = homeHost();
    const app = await renderApp(host);
    const user = userEvent.setup();
    const browse = within(nav()).getByRole('link', { name: 'Browse' });
    browse.focus();
    act(() => host.emit('attention.raised', FAILURE));
    const toast = await screen.findByRole('alert', { name: 'inbound failed' });
    expect(toast.textContent).toContain('the partner server refused the login');
    expect(document.activeElement).toBe(browse);
    expect(within(nav()).getByRole('link', { name: 'History', description: '1 new' })).toBeDefined();
    act(() => host.emit('attention.raised', FAILURE));
    expect(screen.getAllByRole('alert', { name: 'inbound failed' })).toHaveLength(1);

    await user.click(within(toast).getByRole('button', { name: 'Open the run' }));
    expect(app.stores.ui.getState().section).toBe('history');
    await screen.findByRole('grid', { name: /^Files of run #41/ });
    expect(screen.queryByRole('alert', { name: 'inbound failed' })).toBeNull();
    expect(within(nav()).getByRole('link', { name: 'History' }).getAttribute('aria-describedby')).toBeNull();
  });

  it('counts refused files on the Validation log link until the user looks, and puts a notice away from the keyboard', async () => {
    const host = homeHost();
    await renderApp(host);
    const user = userEvent.setup();
    act(() => host.emit('attention.raised', REFUSED));
    const toast = await screen.findByRole('status', { name: 'inbound: ORD-ACME-7.csv refused' });
    expect(within(nav()).getByRole('link', { name: 'Validation log', description: '1 new' })).toBeDefined();
    within(toast).getByRole('button', { name: 'Dismiss: inbound: ORD-ACME-7.csv refused' }).focus();
    await user.keyboard('{Enter}');
    expect(screen.queryByRole('status', { name: 'inbound: ORD-ACME-7.csv refused' })).toBeNull();
    expect(within(nav()).getByRole('link', { name: 'Validation log', description: '1 new' })).toBeDefined();
    await user.click(within(nav()).getByRole('link', { name: 'Validation log' }));
    expect(within(nav()).getByRole('link', { name: 'Validation log' }).getAttribute('aria-describedby')).toBeNull();
  });

  it('counts nothing on the screen the user is looking at', async () => {
    const host = homeHost();
    await renderApp(host);
    const user = userEvent.setup();
    await user.click(within(nav()).getByRole('link', { name: 'History' }));
    act(() => host.emit('attention.raised', FAILURE));
    await screen.findByRole('alert', { name: 'inbound failed' });
    expect(within(nav()).getByRole('link', { name: 'History' }).getAttribute('aria-describedby')).toBeNull();
  });
});
