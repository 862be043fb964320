import type { TransferSnapshot } from '../../src/shared/contract/models.js';

/** A batch halfway through, as the core reports it: what both transport tests send as an event. */
export const RUNNING_SNAPSHOT: TransferSnapshot = {
  id: 't1',
  label: '2 files from partner:/outbox to @computer:/home/ops/inbox',
  move: false,
  source: { connection: 'partner', paths: ['outbox/a.csv', 'outbox/b.csv'] },
  target: { connection: '@computer', path: 'home/ops/inbox' },
  state: 'running',
  filesTotal: 2,
  filesDone: 1,
  filesSkipped: 0,
  filesFailed: 0,
  filesCancelled: 0,
  bytesTotal: 200,
  bytesDone: 100,
  rateBps: 50,
  etaSeconds: 2,
  startedAt: 1_700_000_000_000,
  current: [],
};
