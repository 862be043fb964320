import { describe, expect, it } from 'vitest';
import { all, clamped, isSelected, NOTHING, only, selectedCount, span, toggled, union } from '../../renderer/stores/selection.js';

describe('a selection of rows', () => {
  it('selects all of 100,000 rows as one range, and toggling rows off keeps it a handful of ranges', () => {
    let selection = all(100_000);
    selection = toggled(selection, 500);
    selection = toggled(selection, 99_999);
    expect(selectedCount(selection)).toBe(99_998);
    expect(selection).toEqual([
      [0, 500],
      [501, 99_999],
    ]);
    expect(isSelected(selection, 500)).toBe(false);
    expect(isSelected(selection, 501)).toBe(true);
  });

  it('spans either way from the anchor and merges what touches', () => {
    expect(span(9, 3)).toEqual([[3, 10]]);
    expect(union(only(4), span(5, 7))).toEqual([[4, 8]]);
    expect(toggled(toggled(NOTHING, 2), 2)).toEqual([]);
  });

  it('drops rows a shorter listing no longer has', () => {
    expect(clamped(span(0, 9), 5)).toEqual([[0, 5]]);
    expect(clamped(only(7), 5)).toEqual([]);
  });
});
