import { Option } from 'commander';
import type { Pace } from '../engine/bandwidth/BandwidthLimits.js';
import { readLimit } from '../engine/bandwidth/readLimit.js';
import type { BandwidthLimit } from '../shared/model/bandwidthText.js';
import type { Workspace } from '../workspace/Workspace.js';
import type { Location } from './location.js';

/** What `--bwlimit` gives a command's options. */
export interface BandwidthOptions {
  readonly bwlimit?: string;
}

/** `--bwlimit` as copy, move and sync share it: rclone's syntax, units, up:down and timetables. */
export function bandwidthOption(): Option {
  return new Option(
    '--bwlimit <limit>',
    'bandwidth limit for this run, as rclone reads it: 2M, 512k (KiB/s when no unit), 1M:4M (upload:download), or a timetable "08:00,2M 18:00,off"',
  );
}

/** The run's own limit from `--bwlimit`; undefined when not given or "off". A bad value names the flag. */
export function runLimitOf(opts: BandwidthOptions): BandwidthLimit | undefined {
  return opts.bwlimit === undefined ? undefined : readLimit(opts.bwlimit, '--bwlimit');
}

/** The pace of a command's files from `source` to `target`, under `--bwlimit` and the saved limits. */
export async function commandPace(ws: Workspace, run: BandwidthLimit | undefined, source: Location, target: Location): Promise<Pace | undefined> {
  const { runPace } = await import('../workspace/bandwidth.js');
  const name = (l: Location): string | undefined => (l.kind === 'connection' ? l.connection : undefined);
  return runPace(ws, run, name(source), name(target));
}
