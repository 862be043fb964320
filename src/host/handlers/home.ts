import { TransferError } from '../../connectors/errors.js';
import type { RunId } from '../../history/records.js';
import type { HOME_COMMANDS } from '../../shared/contract/homeCommands.js';
import { readJobSwitches } from '../../workspace/jobSwitches.js';
import type { ConnectionHealth } from '../home/ConnectionHealth.js';
import { dismissRun, readDismissedRuns } from '../home/dismissedRuns.js';
import { homeSummary, unresolvedFailures } from '../home/homeSummary.js';
import { savedJobs } from '../home/savedJobs.js';
import type { HandlersOf, HostContext } from './HostContext.js';
import { setSchedulesPaused } from './jobs.js';

/** Home: the history, the jobs folder, the job switches and the connections' last outcomes, read together. */
export function homeHandlers({ workspace, connections, events }: HostContext, health: ConnectionHealth, now: () => number): HandlersOf<typeof HOME_COMMANDS> {
  return {
    'home.summary': async () =>
      homeSummary({
        history: await workspace.history(),
        jobs: await savedJobs(workspace.paths.jobs),
        switches: readJobSwitches(workspace.paths),
        failedConnections: health.failed(),
        dismissed: await readDismissedRuns(workspace.paths),
        now: now(),
      }),
    'home.dismiss': async ({ runId }) => {
      const history = await workspace.history();
      const run = history.run(runId as RunId);
      if (run === undefined) throw new TransferError('notFound', `There is no run #${runId} in the history: it may have been removed by the retention policy`);
      const listed = unresolvedFailures(history, now(), new Set()).map((r) => r.id);
      await dismissRun(workspace.paths, run.id, listed);
      return {};
    },
    'home.testConnection': async ({ name }) => {
      await workspace.config(name);
      // Opened afresh through the window's own connections, so the panes and Home hear how it went;
      // connectors sign in at their first call, so the top folder is listed.
      await connections.forget(name);
      try {
        await (await connections.get(name)).list('');
        return { connected: true };
      } catch (e) {
        return { connected: false, message: e instanceof Error ? e.message : String(e) };
      }
    },
    'home.resumeSchedules': async () => {
      await setSchedulesPaused({ workspace, events }, false);
      return {};
    },
  };
}
