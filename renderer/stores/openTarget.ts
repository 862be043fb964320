import type { AttentionTarget } from '../../src/shared/contract/homeCommands.js';
import type { AppStores } from './appStores.js';

/**
 * Takes the user to what a notice or an attention item is about: a run's files in History, the
 * validation log at the entry, the Jobs screen; or does the one thing that resolves it (tests a
 * connection again, resumes schedules). `key` names the Home item whose outcome is shown.
 */
export async function openTarget(stores: Pick<AppStores, 'ui' | 'history' | 'validationLog' | 'home'>, target: AttentionTarget, key = ''): Promise<void> {
  const { ui, history, validationLog, home } = stores;
  switch (target.kind) {
    case 'run':
      ui.getState().go('history');
      return history.getState().showRun(target.runId);
    case 'validation': {
      // The files still waiting for someone: what the notice or the card is about.
      const filter = { job: target.job, outcome: 'held' } as const;
      ui.getState().go('validation');
      return target.entryId === undefined ? validationLog.getState().show(filter) : validationLog.getState().openEntry(filter, target.entryId);
    }
    case 'job':
      ui.getState().go('jobs');
      return;
    case 'connection':
      return home.getState().testConnection(key, target.connection);
    case 'schedules':
      return home.getState().resumeSchedules();
  }
}
