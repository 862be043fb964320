/**
 * Which rows of a listing are selected, as sorted, disjoint, half-open ranges of row indices. Selecting
 * all of 100,000 rows is one range, and toggling rows off afterwards splits it: "all except these",
 * without a set of 100,000 entries.
 */
export type Selection = ReadonlyArray<readonly [start: number, end: number]>;

export const NOTHING: Selection = [];

function normalized(ranges: ReadonlyArray<readonly [number, number]>): Selection {
  const sorted = ranges.filter(([a, b]) => b > a).toSorted((x, y) => x[0] - y[0]);
  const out: Array<[number, number]> = [];
  for (const [start, end] of sorted) {
    const last = out.at(-1);
    if (last !== undefined && start <= last[1]) last[1] = Math.max(last[1], end);
    else out.push([start, end]);
  }
  return out;
}

export function isSelected(selection: Selection, index: number): boolean {
  return selection.some(([start, end]) => index >= start && index < end);
}

export function selectedCount(selection: Selection): number {
  return selection.reduce((sum, [start, end]) => sum + end - start, 0);
}

export function only(index: number): Selection {
  return [[index, index + 1]];
}

export function all(total: number): Selection {
  return total > 0 ? [[0, total]] : NOTHING;
}

/** The rows from `a` to `b`, both included, whichever comes first. */
export function span(a: number, b: number): Selection {
  return [[Math.min(a, b), Math.max(a, b) + 1]];
}

export function union(selection: Selection, more: Selection): Selection {
  return normalized([...selection, ...more]);
}

export function toggled(selection: Selection, index: number): Selection {
  if (!isSelected(selection, index)) return union(selection, only(index));
  return normalized(selection.flatMap(([start, end]): Array<readonly [number, number]> => (index >= start && index < end ? [[start, index], [index + 1, end]] : [[start, end]])));
}

/** Drops rows at or past `total`, for a listing that got shorter. */
export function clamped(selection: Selection, total: number): Selection {
  return normalized(selection.map(([start, end]) => [start, Math.min(end, total)] as const));
}
