import { TransferError } from '../../connectors/errors.js';

/** How many files a sync may delete: a count, or a share of the files on the destination (rclone's `--max-delete`, plus a percentage). */
export type MaxDelete = { readonly kind: 'count'; readonly count: number } | { readonly kind: 'percent'; readonly percent: number };

/** Reads `25` or `10%`; anything else is refused naming `field` (the option or job field it came from). */
export function parseMaxDelete(text: string, field: string): MaxDelete {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(%?)\s*$/.exec(text);
  const value = match === null ? Number.NaN : Number(match[1]);
  if (match !== null && match[2] === '%' && value <= 100) return { kind: 'percent', percent: value };
  if (match !== null && match[2] === '' && Number.isInteger(value)) return { kind: 'count', count: value };
  throw new TransferError('config', `${field} takes a number of files (e.g. 25) or a percentage of the destination's files (e.g. 10%), not ${JSON.stringify(text)}`);
}

/** How the limit reads in messages: `25 files`, `10% (3 of the destination's 30 files)`. */
function describe(limit: MaxDelete, destinationFiles: number): string {
  if (limit.kind === 'count') return `${limit.count} file${limit.count === 1 ? '' : 's'}`;
  return `${limit.percent}% (${allowed(limit, destinationFiles)} of the destination's ${destinationFiles} files)`;
}

function allowed(limit: MaxDelete, destinationFiles: number): number {
  return limit.kind === 'count' ? limit.count : Math.floor((destinationFiles * limit.percent) / 100);
}

/** Why `deletes` files may not be deleted under `limit`, or undefined when they may. */
export function overDeleteLimit(limit: MaxDelete | undefined, deletes: number, destinationFiles: number): string | undefined {
  if (limit === undefined || deletes <= allowed(limit, destinationFiles)) return undefined;
  return `${deletes} file${deletes === 1 ? '' : 's'} would be deleted, more than the delete limit of ${describe(limit, destinationFiles)}`;
}
