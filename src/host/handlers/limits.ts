import type { ConnectionConfig } from '../../config/ConnectionStore.js';
import type { Pace } from '../../engine/bandwidth/BandwidthLimits.js';
import { limitAt } from '../../engine/bandwidth/timetable.js';
import { readBandwidth } from '../../shared/model/bandwidthText.js';
import type { BandwidthView, LIMITS_COMMANDS, LimitsView } from '../../shared/contract/limitCommands.js';
import { THIS_COMPUTER, type TransferRequestInput } from '../../shared/contract/models.js';
import { bandwidthLimits, runPace, saveConnectionLimit, saveGlobalLimit } from '../../workspace/bandwidth.js';
import type { Workspace } from '../../workspace/Workspace.js';
import type { HandlersOf, HostContext } from './HostContext.js';

export function limitHandlers({ workspace, events }: HostContext): HandlersOf<typeof LIMITS_COMMANDS> {
  const view = async (): Promise<LimitsView> => limitsView(workspace, Date.now());
  return {
    'limits.get': view,
    'limits.set': async (input) => {
      const text = input.limit ?? undefined;
      if (input.scope === 'global') await saveGlobalLimit(workspace, text);
      else await saveConnectionLimit(workspace, input.connection, text);
      const changed = await view();
      events.emit({ event: 'limits.changed', payload: changed });
      return changed;
    },
  };
}

/** The saved limits, as the running transfers use them. */
async function limitsView(ws: Workspace, at: number): Promise<LimitsView> {
  const limits = await bandwidthLimits(ws);
  const connections = await ws.connections.list();
  return {
    global: viewOf(limits.global.limit?.text, at),
    connections: connections.map((c: ConnectionConfig) => ({ connection: c.name, limit: viewOf(c.bandwidth, at) })),
  };
}

function viewOf(text: string | undefined, at: number): BandwidthView | null {
  if (text === undefined) return null;
  const reading = readBandwidth(text);
  if (!reading.ok) return null;
  const held = limitAt(reading.limit, at);
  return { text: reading.limit.text, up: held.up, down: held.down, until: held.until };
}

/** The pace of a window transfer's files: under the saved limits, which the window may change while it runs. */
export async function windowPace(ws: Workspace, request: TransferRequestInput): Promise<Pace | undefined> {
  return runPace(ws, undefined, side(request.source.connection), side(request.target.connection));
}

/** The pace of a file dropped from the desktop into `connection`: an upload under the saved limits. */
export async function droppedPace(ws: Workspace, connection: string): Promise<Pace | undefined> {
  return runPace(ws, undefined, undefined, side(connection));
}

function side(connection: string): string | undefined {
  return connection === THIS_COMPUTER ? undefined : connection;
}
