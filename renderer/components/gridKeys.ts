/**
 * The row a grid's movement key takes the focus to, or undefined when the key does not move it. A grid
 * without `pageRows` does not page. The caller clamps, as it already must for a list that changed.
 */
export function movedFocus(key: string, focus: number, count: number, pageRows?: number): number | undefined {
  switch (key) {
    case 'ArrowDown':
      return focus + 1;
    case 'ArrowUp':
      return focus - 1;
    case 'PageDown':
      return pageRows === undefined ? undefined : focus + pageRows;
    case 'PageUp':
      return pageRows === undefined ? undefined : focus - pageRows;
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return undefined;
  }
}
