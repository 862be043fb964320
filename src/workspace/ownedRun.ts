import { toTransferError } from '../engine/retry.js';
import type { HistoryStore } from '../history/HistoryStore.js';
import type { NewRun, RunId } from '../history/records.js';
import { HEARTBEAT_MS, processOwner } from '../history/runOwner.js';

/**
 * Runs `work` as one run in the history, owned by this process and heart-beaten while it goes, so a
 * killed process shows as interrupted. A run that throws is finished as cancelled or failed with the
 * error's message and the error goes on; one that completes is finished by `finish`, once the
 * heartbeat has stopped.
 */
export async function ownedRun<T>(history: HistoryStore, run: Omit<NewRun, 'owner'>, work: (runId: RunId) => Promise<T>, finish: (runId: RunId, result: T) => void): Promise<T> {
  const owner = processOwner();
  const runId = history.startRun({ ...run, owner });
  const heartbeat = setInterval(() => history.journal().heartbeat(runId, owner), HEARTBEAT_MS);
  heartbeat.unref();
  let result: T;
  try {
    result = await work(runId);
  } catch (e) {
    const error = toTransferError(e);
    history.finishRun(runId, { status: error.kind === 'cancelled' ? 'cancelled' : 'failed', files: 0, bytes: 0, failed: 0, skipped: 0, error: error.message });
    throw e;
  } finally {
    clearInterval(heartbeat);
  }
  finish(runId, result);
  return result;
}
