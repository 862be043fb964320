import type { Command } from 'commander';
import { limitAt } from '../../engine/bandwidth/timetable.js';
import { formatRate, readBandwidth } from '../../shared/model/bandwidthText.js';
import type { Workspace } from '../../workspace/Workspace.js';
import { print, type CliIo } from '../io.js';

/** `ferry connection limit <name> [limit]`: shows or sets the bandwidth limit saved with a connection. */
export function registerConnectionLimitCommand(connection: Command, io: CliIo, workspace: () => Workspace): void {
  connection
    .command('limit <name> [limit]')
    .description(
      "show or set a connection's bandwidth limit, shared by every transfer to and from it: 2M, 512k, 1M:4M (upload:download), " +
        'a timetable "08:00,2M 18:00,off", or off to remove it',
    )
    .action(async (name: string, limit: string | undefined) => {
      const { saveConnectionLimit } = await import('../../workspace/bandwidth.js');
      const ws = workspace();
      if (limit !== undefined) await saveConnectionLimit(ws, name, limit);
      const saved = (await ws.config(name)).bandwidth;
      print(io, saved === undefined ? `${name}: no bandwidth limit` : `${name}: ${saved} (${inForce(saved, Date.now())})`);
    });
}

/** What a saved limit means now, in words: "now 2 MiB/s up, 4 MiB/s down, until Mon 18:00". */
export function inForce(text: string, now: number): string {
  const reading = readBandwidth(text);
  if (!reading.ok) return reading.problem;
  const held = limitAt(reading.limit, now);
  const rates = held.up === held.down ? `${formatRate(held.up)} each way` : `${formatRate(held.up)} up, ${formatRate(held.down)} down`;
  if (held.until === null) return `now ${rates}`;
  const until = new Date(held.until);
  const day = until.toLocaleDateString('en-GB', { weekday: 'short' });
  const time = `${String(until.getHours()).padStart(2, '0')}:${String(until.getMinutes()).padStart(2, '0')}`;
  return `now ${rates}, until ${day} ${time}`;
}
