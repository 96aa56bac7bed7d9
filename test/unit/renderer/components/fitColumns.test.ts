import { describe, expect, it } from 'vitest';
import { fitColumns, FLEX_COLUMN_MIN } from '../../../../renderer/components/fitColumns';

const cols = [
  { key: 'name', width: 160 },
  { key: 'company' },
  { key: 'code', width: 100 },
  { key: 'stage', width: 110, dropOrder: 1 },
  { key: 'owner', width: 90, dropOrder: 2 },
  { key: 'tags', width: 150, dropOrder: 3 },
];

describe('fitColumns', () => {
  it('keeps every column and fills the width when there is room (no empty band at 1920)', () => {
    const { columns, x } = fitColumns(cols, 1340);
    expect(columns.map((c) => c.key)).toEqual(['name', 'company', 'code', 'stage', 'owner', 'tags']);
    expect(x).toBe(1340);
    expect(columns.some((c) => 'dropOrder' in c)).toBe(false);
  });

  it('leaves out optional columns, highest drop order first, until the rest fit (no cut-off at 1366)', () => {
    const { columns, x } = fitColumns(cols, 160 + FLEX_COLUMN_MIN + 100 + 110 + 10);
    expect(columns.map((c) => c.key)).toEqual(['name', 'company', 'code', 'stage']);
    expect(x).toBe(160 + FLEX_COLUMN_MIN + 100 + 110 + 10);
  });

  it('scrolls sideways only when even the essential columns do not fit', () => {
    const { columns, x } = fitColumns(cols, 300);
    expect(columns.map((c) => c.key)).toEqual(['name', 'company', 'code']);
    expect(x).toBe(160 + FLEX_COLUMN_MIN + 100);
  });
});
