import { useEffect, useState, type RefObject } from 'react';

/** A table column that can be left out when the table is narrow. */
export interface FittableColumn {
  width?: number | string;
  /** Columns with a drop order are left out, highest first, until the rest fit; absent: always shown. */
  dropOrder?: number;
}

/** Width a column without a numeric width needs at least (the flexible text column). */
export const FLEX_COLUMN_MIN = 160;

function widthOf(c: FittableColumn): number {
  return typeof c.width === 'number' ? c.width : FLEX_COLUMN_MIN;
}

/**
 * The columns that fit in `available` pixels and the table's scroll width: optional columns are
 * left out (highest drop order first) until the rest fit; the table then fills the available width
 * (no empty band), and scrolls sideways only when even the essential columns do not fit.
 */
export function fitColumns<T extends FittableColumn>(columns: readonly T[], available: number): { columns: T[]; x: number } {
  const shown = [...columns];
  const total = () => shown.reduce((sum, c) => sum + widthOf(c), 0);
  const droppable = columns.filter((c) => c.dropOrder !== undefined).sort((a, b) => (b.dropOrder ?? 0) - (a.dropOrder ?? 0));
  for (const c of droppable) {
    if (total() <= available) break;
    shown.splice(shown.indexOf(c), 1);
  }
  return { columns: shown.map(({ dropOrder: _d, ...rest }) => rest as T), x: Math.max(Math.floor(available), total()) };
}

/** The content width of an element, following resizes (window, phone panel, sider); `fallback` until measured. */
export function useElementWidth(ref: RefObject<HTMLElement | null>, fallback = 1100): number {
  const [width, setWidth] = useState(fallback);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => {
      if (el.clientWidth > 0) setWidth(el.clientWidth);
    };
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, [ref]);
  return width;
}
