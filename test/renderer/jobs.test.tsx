// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { memoryHost, type MemoryHost } from '../../renderer/host/memoryHost.js';
import type { CommandInput, CommandName } from '../../src/shared/contract/commands.js';
import type { DryRunView, JobSummary } from '../../src/shared/contract/jobCommands.js';
import { fail, ok } from '../../src/shared/contract/wire.js';
import { renderApp } from './renderApp.js';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

const NOON = Date.UTC(2026, 11, 7, 12);

const INVOICES: JobSummary = {
  name: 'invoices',
  file: 'invoices.yaml',
  description: 'Partner invoices onto their Accounts.',
  source: 'partner-sftp:invoices',
  schedule: 'Every hour',
  nextRunAt: NOON + 3_600_000,
  enabled: true,
  running: false,
  lastRun: { id: 41, status: 'failed', startedAt: NOON - 60_000, finishedAt: NOON },
};
const ORDERS: JobSummary = { name: 'orders', file: 'orders.yaml', source: '/srv/drop', schedule: 'At 06:00 Monday to Friday', enabled: false, running: false };
const BROKEN: JobSummary = { name: 'broken', file: 'broken.yaml', enabled: true, running: false, error: '/jobs/broken.yaml is not a valid job:\n  /jobs/broken.yaml:7:10 schedule.every: Invalid duration "often"' };

const PLAN: DryRunView = {
  job: 'invoices',
  runId: 42,
  status: 'succeeded',
  files: [
    { path: 'INV-ACC-10001_1.pdf', size: 2048, outcome: 'planned', verdict: { passed: true, reasons: [] }, deliveries: [{ route: 'accounts', name: 'INV-ACC-10001_1.pdf', target: 'org:Account/001A/INV-ACC-10001_1.pdf', status: 'planned', detail: 'new version of the existing file', match: 'exact', replaces: true }] },
    {
      path: 'INV-ACC-10002_2.pdf',
      size: 1024,
      outcome: 'failed',
      deliveries: [{ route: 'accounts', name: 'INV-ACC-10002_2.pdf', target: 'org:Account/INV-ACC-10002_2.pdf', status: 'failed', detail: "2 Account records have AccountNumber = 'ACC-10002'", match: 'ambiguous', candidates: [{ id: '001B', name: 'Contoso' }, { id: '001C', name: 'Contoso Retail' }] }],
    },
    { path: 'INV-ACC-1OO05_3.pdf', size: 10, outcome: 'quarantined', verdict: { passed: false, reasons: [{ rule: 'name', message: 'does not match the naming pattern' }] }, deliveries: [] },
  ],
  waiting: [],
  refused: [],
  actions: [],
};

/** The in-memory host answering the Jobs screen's commands, keeping the switches it is given. */
function jobsHost(): MemoryHost & { jobs: JobSummary[] } {
  const host = memoryHost();
  const invoke = host.invoke.bind(host);
  const state = { jobs: [BROKEN, INVOICES, ORDERS], paused: false };
  const answers: { [C in CommandName]?: (input: CommandInput<C>) => unknown } = {
    'jobs.list': () => ({ jobs: state.jobs, paused: state.paused }),
    'jobs.dryRun': () => PLAN,
    'jobs.run': ({ name }) => (name === 'orders' ? fail({ kind: 'exists', message: 'The job "orders" is already running (run 7)', retryable: false }) : { runId: 43 }),
    'jobs.setEnabled': ({ name, enabled }) => {
      state.jobs = state.jobs.map((j) => (j.name === name ? { ...j, enabled } : j));
      return { enabled };
    },
    'jobs.pauseSchedules': ({ paused }) => {
      state.paused = paused;
      return { paused };
    },
    'jobFiles.templates': () => ({ templates: [{ name: 'partner-orders', flow: '01-partner-orders-to-erp', description: 'Orders into the ERP.' }] }),
    'history.items': ({ runId }) => ({ run: { id: runId, job: 'invoices', kind: 'job', source: 's', target: 't', startedAt: NOON, status: 'failed', dryRun: false, files: 0, bytes: 0, failed: 0, skipped: 0 }, items: [] }),
  };
  host.invoke = async (command, input) => {
    const answer = answers[command] as ((input: unknown) => unknown) | undefined;
    if (answer === undefined) return invoke(command, input);
    (host.calls as Array<{ command: CommandName; input: unknown }>).push({ command, input });
    const value = answer(input);
    return (typeof value === 'object' && value !== null && 'ok' in value ? value : ok(value)) as never;
  };
  return Object.assign(host, {
    get jobs() {
      return state.jobs;
    },
  });
}

async function openJobs(host: MemoryHost) {
  const app = await renderApp(host);
  const user = userEvent.setup();
  await user.click(within(screen.getByRole('navigation', { name: 'Main' })).getByRole('link', { name: 'Jobs' }));
  const grid = await screen.findByRole('grid', { name: 'Jobs' });
  await waitFor(() => expect(within(grid).getAllByRole('row')).toHaveLength(4));
  return { ...app, user, grid };
}

const callsOf = (host: MemoryHost, command: CommandName) => host.calls.filter((c) => c.command === command).map((c) => c.input);

describe('the Jobs screen', () => {
  it('lists each job by name with its schedule, next run, last result in words and whether it is enabled; a broken file with its reason', async () => {
    const host = jobsHost();
    const { grid } = await openJobs(host);
    const [, broken, invoices, orders] = within(grid).getAllByRole('row');
    expect(within(broken as HTMLElement).getByRole('rowheader').textContent).toMatch(/^broken.*Does not load: .*schedule\.every: Invalid duration "often"/s);
    expect(within(invoices as HTMLElement).getByRole('rowheader').textContent).toMatch(/^invoices/);
    const cells = within(invoices as HTMLElement).getAllByRole('gridcell').map((c) => c.textContent);
    expect(cells[0]).toBe('Every hour');
    expect(cells[1]).not.toBe('');
    expect(cells[2]).toMatch(/^Failed/);
    expect(cells[3]).toBe('Yes');
    expect(within(orders as HTMLElement).getAllByRole('gridcell').map((c) => c.textContent)).toEqual(['At 06:00 Monday to Friday', 'Disabled', 'Never run', 'No']);
  });

  it('runs, previews and switches the chosen job from the keyboard, and says when a run is refused', async () => {
    const host = jobsHost();
    const { grid, user } = await openJobs(host);
    act(() => grid.focus());
    await user.keyboard('{ArrowDown}');
    const toolbar = screen.getByRole('toolbar', { name: 'Job actions' });
    expect(toolbar.textContent).toMatch(/^invoices/);
    fireEvent.keyDown(grid, { key: 'F5' });
    await waitFor(() => expect(callsOf(host, 'jobs.run')).toEqual([{ name: 'invoices' }]));
    expect(await screen.findByText('invoices is running (run 43).')).toBeTruthy();

    fireEvent.keyDown(grid, { key: ' ' });
    await waitFor(() => expect(callsOf(host, 'jobs.setEnabled')).toEqual([{ name: 'invoices', enabled: false }]));
    await waitFor(() => expect(within(toolbar).getByRole('button', { name: 'Enable' })).toBeTruthy());

    await user.keyboard('{ArrowDown}');
    await user.click(within(toolbar).getByRole('button', { name: 'Run now' }));
    expect((await screen.findByText('The job "orders" is already running (run 7)')).getAttribute('role')).toBe('alert');
  });

  it('shows a dry run file by file: verdict, new name, destination, record match with candidates, new file or version', async () => {
    const host = jobsHost();
    const { grid, user } = await openJobs(host);
    act(() => grid.focus());
    await user.keyboard('{ArrowDown}');
    fireEvent.keyDown(grid, { key: 'F5', shiftKey: true });
    const dialog = await screen.findByRole('dialog', { name: 'Dry run of invoices' });
    const plan = await within(dialog).findByRole('table', { name: 'Dry run of invoices, file by file' });
    const rows = within(plan).getAllByRole('row').slice(1).map((r) => [...r.children].map((c) => c.textContent));
    expect(rows[0]).toEqual(['INV-ACC-10001_1.pdf2 KB', 'Valid', 'Would be delivered', 'INV-ACC-10001_1.pdf', 'org:Account/001A/INV-ACC-10001_1.pdf', 'Exact', 'New version']);
    expect(rows[1]?.slice(1, 3)).toEqual(['No rules apply', "Would fail2 Account records have AccountNumber = 'ACC-10002'"]);
    expect(rows[1]?.[5]).toBe('Ambiguous: Contoso (001B), Contoso Retail (001C)');
    expect(rows[2]?.slice(0, 3)).toEqual(['INV-ACC-1OO05_3.pdf10 bytes', 'Invalid: name: does not match the naming pattern', 'Would be quarantined']);
    expect(within(dialog).getByText(/1 would be delivered, 1 would be quarantined, 1 would fail/)).toBeTruthy();
    await user.click(within(dialog).getByRole('button', { name: 'Run now' }));
    await waitFor(() => expect(callsOf(host, 'jobs.run')).toEqual([{ name: 'invoices' }]));
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('opens the editor on a job with Enter, on an example flow from New job, and the last run in History', async () => {
    const host = jobsHost();
    const { grid, user, stores } = await openJobs(host);
    // The editor itself is another screen's to test: here, only what the Jobs screen asks it to open.
    const editJob = vi.spyOn(stores.ui.getState(), 'editJob').mockImplementation(() => undefined);
    act(() => grid.focus());
    await user.keyboard('{ArrowDown}{ArrowDown}{Enter}');
    expect(editJob).toHaveBeenLastCalledWith({ kind: 'job', name: 'orders' });

    await user.click(await screen.findByRole('button', { name: 'New job' }));
    const dialog = await screen.findByRole('dialog', { name: 'New job from an example flow' });
    await user.click(await within(dialog).findByRole('button', { name: /^partner-orders/ }));
    expect(editJob).toHaveBeenLastCalledWith({ kind: 'template', name: 'partner-orders' });
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));

    act(() => grid.focus());
    await user.keyboard('{ArrowUp}');
    await user.click(within(screen.getByRole('toolbar', { name: 'Job actions' })).getByRole('button', { name: 'Last run in History' }));
    expect(stores.ui.getState().section).toBe('history');
    await waitFor(() => expect(callsOf(host, 'history.items')).toContainEqual(expect.objectContaining({ runId: 41 })));
  });

  it('pauses and resumes every schedule, and reads the list again when the core says jobs changed', async () => {
    const host = jobsHost();
    const { user } = await openJobs(host);
    await user.click(screen.getByRole('button', { name: 'Pause all schedules' }));
    expect(await screen.findByText(/All schedules are paused: no job runs on its schedule/)).toBeTruthy();
    expect(callsOf(host, 'jobs.pauseSchedules')).toEqual([{ paused: true }]);
    await user.click(screen.getByRole('button', { name: 'Resume schedules' }));
    await waitFor(() => expect(screen.queryByText(/All schedules are paused: no job/)).toBeNull());
    const before = callsOf(host, 'jobs.list').length;
    act(() => host.emit('jobs.changed', { job: 'invoices' }));
    await waitFor(() => expect(callsOf(host, 'jobs.list').length).toBe(before + 1));
  });
});
