import { useEffect, useRef, useState, type ReactNode } from 'react';

/** Props of {@link VirtualList}. */
export interface VirtualListProps<T> {
  items: readonly T[];
  /** Every row has this height (px): the list renders only the rows in view. */
  rowHeight: number;
  /** Height of the scrolling viewport (px). */
  height: number;
  renderRow(item: T, index: number): ReactNode;
  rowKey(item: T): string;
  /** Called when the viewport comes within `endThreshold` rows of the end (load the next page). */
  onEndReached?: () => void;
  endThreshold?: number;
  /** Rows rendered above and below the viewport. */
  overscan?: number;
  testId?: string;
  className?: string;
}

/**
 * A windowed list of fixed-height rows: a long history (10,000 contacts) scrolls with only the
 * visible rows in the DOM. Presentational: props only.
 */
export function VirtualList<T>({ items, rowHeight, height, renderRow, rowKey, onEndReached, endThreshold = 20, overscan = 8, testId, className }: VirtualListProps<T>) {
  // The first row in view, not the pixel offset: scrolling within a row renders nothing.
  const [topRow, setTopRow] = useState(0);
  const ref = useRef<HTMLDivElement>(null);
  const total = items.length * rowHeight;
  const viewport = Math.min(height, total);
  const first = Math.max(0, topRow - overscan);
  const last = Math.min(items.length, topRow + Math.ceil(height / rowHeight) + 1 + overscan);
  // A list shorter than the viewport never scrolls: ask for more right away.
  useEffect(() => {
    if (onEndReached && total - topRow * rowHeight - height <= endThreshold * rowHeight) onEndReached();
  }, [items.length]);
  return (
    <div
      ref={ref}
      className={className}
      data-testid={testId}
      style={{ height: viewport, overflowY: 'auto', position: 'relative' }}
      onScroll={(e) => {
        const top = e.currentTarget.scrollTop;
        setTopRow(Math.floor(top / rowHeight));
        if (onEndReached && total - top - height <= endThreshold * rowHeight) onEndReached();
      }}
    >
      <div style={{ height: total, position: 'relative' }}>
        <div style={{ position: 'absolute', top: first * rowHeight, left: 0, right: 0 }}>
          {items.slice(first, last).map((item, i) => (
            <div key={rowKey(item)} style={{ height: rowHeight, overflow: 'hidden' }}>
              {renderRow(item, first + i)}
            </div>
          ))}
        </div>
      </div>
    </div>
  );
}
