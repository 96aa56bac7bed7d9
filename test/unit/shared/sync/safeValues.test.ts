import { describe, expect, it } from 'vitest';
import { cleanText, cleanValue, describeUnsafe, epochMsSchema, findUnsafeValue, unsafeTextKind } from '../../../../shared/sync/safeValues';

describe('values that cannot round-trip', () => {
  it('finds NUL and lone surrogates in values and keys, and non-finite numbers, with their path', () => {
    expect(findUnsafeValue({ record: { notes: 'fine 中文 😀' } })).toBeNull();
    expect(findUnsafeValue({ record: { notes: 'a\u0000b' } })).toEqual({ path: 'record.notes', kind: 'nul' });
    expect(findUnsafeValue({ record: { holds: [{ start: 1 }, { start: Infinity }] } })).toEqual({ path: 'record.holds[1].start', kind: 'non-finite' });
    expect(findUnsafeValue({ headers: { 'X-\ud800': 'v' } })).toEqual({ path: 'headers["X-\uFFFD"]', kind: 'lone-surrogate' });
    expect(findUnsafeValue('\udc00', 'q')).toEqual({ path: 'q', kind: 'lone-surrogate' });
    expect(unsafeTextKind('pair 😀 \ud83d\ude00')).toBeNull();
    expect(unsafeTextKind('reversed \ude00\ud83d')).toBe('lone-surrogate');
    expect(describeUnsafe({ path: 'record.notes', kind: 'nul' })).toBe('record.notes contains a NUL character (U+0000), which cannot be stored');
  });

  it('cleans text: NUL removed, lone surrogates replaced, pairs kept; untouched values stay the same object', () => {
    expect(cleanText('a\u0000b\ud800c\udc00d😀')).toBe('ab\uFFFDc\uFFFDd😀');
    const fine = { a: ['x', { b: 1 }], c: null };
    expect(cleanValue(fine)).toBe(fine);
    expect(cleanValue({ a: ['x\u0000'], ['k\u0000']: 'v' })).toEqual({ a: ['x'], k: 'v' });
    const bytes = new Uint8Array([0, 1]);
    expect(cleanValue({ bytes }).bytes).toBe(bytes);
  });

  it('accepts dates in whole milliseconds between 1970 and 2100 only', () => {
    expect(epochMsSchema.safeParse(1_700_000_000_000).success).toBe(true);
    for (const bad of [1e308, -1, 1.5, Infinity, NaN, Date.UTC(2100, 0, 2)]) expect(epochMsSchema.safeParse(bad).success, String(bad)).toBe(false);
  });
});
