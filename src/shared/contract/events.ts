import { z } from 'zod';
import { attentionRaisedSchema, attentionTargetSchema } from './homeCommands.js';
import { limitsViewSchema } from './limitCommands.js';
import { connectionStatusSchema } from './connectionModels.js';
import { BATCH_STATES, promptSchema, transferFileSchema, transferSnapshotSchema } from './models.js';

/**
 * Everything the core tells the UI without being asked. Progress arrives as whole snapshots at most ten
 * times a second, so a late subscriber is always right; state changes arrive at once.
 */
export const EVENTS = {
  /** Counters, rate and the files in flight of one batch, throttled. */
  'transfer.progress': transferSnapshotSchema,
  /** A batch was queued, started, finished, failed or was cancelled. */
  'transfer.state': z.strictObject({ id: z.string(), state: z.enum(BATCH_STATES), snapshot: transferSnapshotSchema }),
  /** One file of a batch settled (done, skipped, failed, cancelled), or was queued again to be retried. */
  'transfer.file': z.strictObject({ id: z.string(), index: z.number().int(), file: transferFileSchema }),
  /** The queue stopped or went back to starting new files (in this window or another). */
  'transfers.paused': z.strictObject({ paused: z.boolean() }),
  /** Finished batches left the queue (someone cleared them): every window takes their rows away. */
  'transfers.removed': z.strictObject({ ids: z.array(z.string()) }),
  /** The core needs a person's answer before it goes on: a server's key or certificate seen for the first time, a file whose target exists. */
  prompt: promptSchema,
  /** A question was answered (in this window or another) or withdrawn: its dialog closes. */
  'prompt.settled': z.strictObject({ id: z.string() }),
  /** The host opened a connection, could not (with the reason in plain words), or closed it. */
  'connection.status': connectionStatusSchema,
  /** A connection's folder changed through Ferry (a transfer landed, a file was deleted): panes showing it refresh. */
  'files.changed': z.strictObject({ connection: z.string(), path: z.string() }),
  /** A bandwidth limit was changed (in this window or another): every window shows the new limits. */
  'limits.changed': limitsViewSchema,
  /** Something new went wrong (a run failed, files were refused, a file is late), in any Ferry process: a notice and a badge lead to it. */
  'attention.raised': attentionRaisedSchema,
  /** A job started or finished a run, or was switched on or off, or schedules were paused or resumed: lists of jobs refresh. */
  'jobs.changed': z.strictObject({ job: z.string().optional() }),
  /** The desktop app asks the window to show where a notice leads (its desktop notification or a tray entry was clicked). */
  'window.navigate': attentionTargetSchema,
} as const;

export type EventName = keyof typeof EVENTS;
export type EventPayload<E extends EventName> = z.infer<(typeof EVENTS)[E]>;

export function isEventName(name: string): name is EventName {
  return Object.hasOwn(EVENTS, name);
}

/** One event as it crosses a transport; a union over the names, so that checking `event` narrows `payload`. */
export type EventMessage<E extends EventName = EventName> = { readonly [K in E]: { readonly event: K; readonly payload: EventPayload<K> } }[E];
