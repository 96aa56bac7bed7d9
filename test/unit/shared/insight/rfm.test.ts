import { describe, expect, it } from 'vitest';
import { RFM_SEGMENTS, RFM_SEGMENT_GRID, fmScore, quintileOf, rfmSegment, scoreRfm, type RfmInput } from '../../../../shared/insight/rfm';
import { classifyAbc } from '../../../../shared/insight/abc';
import { seededRandom, shuffled } from './seededShuffle';

const at = (iso: string): number => Date.parse(`${iso}T12:00:00Z`);

// Ten customers; with n = 10 a dimension's score is 1 + floor(below / 2).
export const TABLE: RfmInput[] = [
  { customerId: 'c1', lastPurchaseAt: at('2026-11-30'), orderCount: 12, totalSpend: 5000 },
  { customerId: 'c2', lastPurchaseAt: at('2026-11-20'), orderCount: 2, totalSpend: 300 },
  { customerId: 'c3', lastPurchaseAt: at('2026-10-01'), orderCount: 8, totalSpend: 3000 },
  { customerId: 'c4', lastPurchaseAt: at('2026-09-01'), orderCount: 6, totalSpend: 2500 },
  { customerId: 'c5', lastPurchaseAt: at('2026-06-01'), orderCount: 5, totalSpend: 2000 },
  { customerId: 'c6', lastPurchaseAt: at('2026-03-01'), orderCount: 4, totalSpend: 1500 },
  { customerId: 'c7', lastPurchaseAt: at('2025-12-01'), orderCount: 3, totalSpend: 1000 },
  { customerId: 'c8', lastPurchaseAt: at('2025-06-01'), orderCount: 2, totalSpend: 500 },
  { customerId: 'c9', lastPurchaseAt: at('2024-06-01'), orderCount: 1, totalSpend: 200 },
  { customerId: 'c10', lastPurchaseAt: at('2023-01-01'), orderCount: 1, totalSpend: 100 },
];

describe('RFM quintiles on a small table (hand-computed)', () => {
  it('scores each dimension by how many customers are strictly worse, and names the segment', () => {
    // R below: 9..0 in table order; F sorted 1,1,2,2,3,4,5,6,8,12; M sorted 100..5000.
    const expected = [
      ['c1', 5, 5, 5, 5, 'champions'],
      ['c2', 5, 2, 2, 2, 'potential-loyalist'],
      ['c3', 4, 5, 5, 5, 'champions'],
      ['c4', 4, 4, 4, 4, 'champions'],
      ['c5', 3, 4, 4, 4, 'loyal'],
      ['c6', 3, 3, 3, 3, 'need-attention'],
      ['c7', 2, 3, 3, 3, 'at-risk'],
      ['c8', 2, 2, 2, 2, 'about-to-sleep'],
      ['c9', 1, 1, 1, 1, 'lost'],
      ['c10', 1, 1, 1, 1, 'lost'],
    ];
    expect(scoreRfm(TABLE).map((s) => [s.customerId, s.r, s.f, s.m, s.fm, s.segment])).toEqual(expected);
  });

  it('gives tied customers the same score', () => {
    const rows: RfmInput[] = [
      { customerId: 'a', lastPurchaseAt: 1000, orderCount: 3, totalSpend: 10 },
      { customerId: 'b', lastPurchaseAt: 1000, orderCount: 3, totalSpend: 10 },
      { customerId: 'c', lastPurchaseAt: 500, orderCount: 1, totalSpend: 5 },
      { customerId: 'd', lastPurchaseAt: 2000, orderCount: 9, totalSpend: 50 },
    ];
    // n = 4: below 0 -> 1, 1 -> 2, 2 -> 3, 3 -> 4.
    const s = scoreRfm(rows);
    expect(s.map((x) => [x.r, x.f, x.m])).toEqual([[2, 2, 2], [2, 2, 2], [1, 1, 1], [4, 4, 4]]);
  });

  it('quintile, FM rounding and the segment grid', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((b) => quintileOf(b, 10))).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
    expect(quintileOf(0, 1)).toBe(1);
    expect(() => quintileOf(3, 3)).toThrow(RangeError);
    expect(fmScore(4, 5)).toBe(5);
    expect(fmScore(1, 2)).toBe(2);
    expect(fmScore(3, 3)).toBe(3);
    expect(rfmSegment(1, 5)).toBe('cannot-lose');
    expect(rfmSegment(5, 1)).toBe('new-customer');
    expect(rfmSegment(4, 1)).toBe('promising');
    expect(rfmSegment(1, 2)).toBe('hibernating');
    const used = new Set(RFM_SEGMENT_GRID.flat());
    expect([...used].sort()).toEqual([...RFM_SEGMENTS].sort());
  });

  it('refuses a customer without orders, naming it', () => {
    expect(() => scoreRfm([{ customerId: 'x9', lastPurchaseAt: 0, orderCount: 0, totalSpend: 0 }])).toThrow(/x9/);
  });
});

describe('segments are stable under row order (seeded shuffles)', () => {
  function randomTable(rand: () => number, n: number): RfmInput[] {
    // Small value ranges so that ties are common.
    return Array.from({ length: n }, (_, i) => ({
      customerId: `k${i}`,
      lastPurchaseAt: Math.floor(rand() * 20) * 86_400_000,
      orderCount: 1 + Math.floor(rand() * 6),
      totalSpend: Math.floor(rand() * 8) * 100,
    }));
  }

  it('RFM scores and ABC classes per customer do not depend on the order of the rows', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const rand = seededRandom(seed);
      const table = randomTable(rand, 1 + Math.floor(rand() * 40));
      const byId = (rows: RfmInput[]): Map<string, unknown> => {
        const rfm = scoreRfm(rows);
        const abc = classifyAbc(rows.map((r) => ({ customerId: r.customerId, revenue: r.totalSpend })));
        return new Map(rows.map((r, i) => [r.customerId, [rfm[i], abc[i]?.abc]]));
      };
      const reference = byId(table);
      for (let k = 0; k < 5; k++) {
        expect(byId(shuffled(table, rand)), `seed ${seed} shuffle ${k}`).toEqual(reference);
      }
    }
  });
});
