// The pure parts of VirtualTable: its column type and which rows of a long page are drawn.

/** A column of a `VirtualTable`: fixed base width, optionally growing into spare width. */
export interface TableColumn {
  /** Stable key, given back to the `cell` slot and to `column-sort`. */
  key: string;
  /** Header text. */
  title: string;
  /** The row field a plain cell shows, when it is not `key`. */
  dataKey?: string;
  /** Base width in px (also the column's minimum). */
  width: number;
  /** Share of the spare width this column takes (like CSS `flex-grow`); 0 when absent. */
  flexGrow?: number;
  /** Whether a header click sorts by this column. */
  sortable?: boolean;
}

/** The sort a table shows: a column key and a direction. */
export interface TableSort {
  key: string;
  order: "asc" | "desc";
}

/** The rows drawn, as a half-open range `[start, end)` of row indexes. */
export interface RowRange {
  start: number;
  end: number;
}

/**
 * The rows to draw for a body scrolled to `scrollTop` showing `viewHeight` px of fixed-height
 * rows: those in view plus `buffer` rows above and below, so a quick scroll shows no blank band.
 * Whatever the page size, at most `ceil(viewHeight / rowHeight) + 1 + 2 * buffer` rows.
 */
export function visibleRange(scrollTop: number, viewHeight: number, rowHeight: number, count: number, buffer: number): RowRange {
  if (count <= 0 || rowHeight <= 0) return { start: 0, end: 0 };
  const top = Math.max(0, scrollTop);
  const first = Math.floor(top / rowHeight);
  const last = Math.ceil((top + Math.max(0, viewHeight)) / rowHeight);
  const start = Math.min(count, Math.max(0, first - buffer));
  const end = Math.min(count, Math.max(start, last + buffer));
  return { start, end };
}

/** The sort after a click on `key`'s header: the sorted column flips, another starts ascending. */
export function nextSort(current: TableSort | undefined, key: string): TableSort {
  if (current?.key === key) return { key, order: current.order === "asc" ? "desc" : "asc" };
  return { key, order: "asc" };
}
