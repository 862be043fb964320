// @vitest-environment happy-dom
import { act, cleanup, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { memoryHost, type MemoryHost } from '../../renderer/host/memoryHost.js';
import type { RunView } from '../../src/shared/contract/historyCommands.js';
import type { ValidationEntryView } from '../../src/shared/contract/validationCommands.js';
import { answering, callsOf } from './answeringHost.js';
import { renderApp } from './renderApp.js';

afterEach(cleanup);

const NOW = Date.UTC(2026, 2, 10, 9, 0);

function runOf(id: number): RunView {
  return { id, job: 'inbound', kind: 'job', source: 'partner-sftp:/out', target: '/erp', startedAt: NOW - 3_600_000, finishedAt: NOW - 3_500_000, status: 'failed', dryRun: false, files: 1, bytes: 10, failed: 1, skipped: 0 };
}

function entryOf(id: number): ValidationEntryView {
  return { id, job: 'inbound', file: `ORD-ACME-${id}.csv`, location: '/q', outcome: 'held', reasons: [{ rule: 'csv', message: 'qty must be at least 1', line: 2, column: 3 }], rules: ['csv'], at: NOW, updatedAt: NOW };
}

/** The in-memory host answering what the screens a notification opens ask for. */
function shellHost(): MemoryHost {
  return answering(memoryHost(), {
    'home.resumeSchedules': () => ({}),
    'history.runs': () => ({ runs: [runOf(41)] }),
    'history.items': ({ runId }) => ({ run: runOf(runId), items: [{ id: 1, runId, sourcePath: 'out/ORD-1.csv', status: 'failed', bytes: 10, reason: 'refused by the server', verifiedBy: [], updatedAt: NOW }] }),
    'validation.log': () => ({ entries: [entryOf(9), entryOf(7)] }),
    'validation.entry': ({ id }) => ({ entry: entryOf(id), firstLines: ['order,sku,qty'], binary: false }),
  });
}


describe('a notification or tray item clicked in the desktop app (window.navigate)', () => {
  it('opens a run’s files in History', async () => {
    const host = shellHost();
    const app = await renderApp(host);
    act(() => host.emit('window.navigate', { kind: 'run', runId: 41 }));
    expect(app.stores.ui.getState().section).toBe('history');
    await screen.findByRole('grid', { name: /^Files of run #41/ });
    expect(callsOf(host, 'history.items')).toEqual([expect.objectContaining({ runId: 41 })]);
  });

  it('opens the validation log at the held entry', async () => {
    const host = shellHost();
    const app = await renderApp(host);
    act(() => host.emit('window.navigate', { kind: 'validation', job: 'inbound', entryId: 7 }));
    expect(app.stores.ui.getState().section).toBe('validation');
    await waitFor(() => expect(app.stores.validationLog.getState().opened?.entry.id).toBe(7));
    expect(callsOf(host, 'validation.log')).toEqual([expect.objectContaining({ filter: { job: 'inbound', outcome: 'held' } })]);
  });

  it('opens the Jobs screen for a job, and resumes paused schedules as Home’s card does', async () => {
    const host = shellHost();
    const app = await renderApp(host);
    act(() => host.emit('window.navigate', { kind: 'job', job: 'inbound' }));
    expect(app.stores.ui.getState().section).toBe('jobs');
    act(() => host.emit('window.navigate', { kind: 'schedules' }));
    await waitFor(() => expect(callsOf(host, 'home.resumeSchedules')).toEqual([{}]));
  });
});
