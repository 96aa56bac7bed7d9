import { describe, expect, it } from 'vitest';
import { encodeNetstring, NetstringDecoder } from '../../../../server/acd/evapi';

describe('evapi netstrings', () => {
  it('encodes with the byte length (not the character count) and decodes across chunk boundaries', () => {
    const wire = Buffer.concat([encodeNetstring({ event: 'new', from: '张伟' }), encodeNetstring({ event: 'abandon' })]);
    expect(wire.subarray(0, 3).toString()).toBe(`${Buffer.byteLength(JSON.stringify({ event: 'new', from: '张伟' }))}:`.slice(0, 3));
    const d = new NetstringDecoder();
    const out: string[] = [];
    // Byte by byte: a multi-byte character split between chunks still decodes.
    for (let i = 0; i < wire.length; i++) out.push(...d.push(wire.subarray(i, i + 1)));
    expect(out.map((s) => JSON.parse(s))).toEqual([{ event: 'new', from: '张伟' }, { event: 'abandon' }]);
  });

  it('refuses a malformed stream instead of guessing', () => {
    expect(() => new NetstringDecoder().push(Buffer.from('x3:abc,'))).toThrow(/bad netstring length/);
    expect(() => new NetstringDecoder().push(Buffer.from('3:abcd'))).toThrow(/trailing comma/);
    expect(() => new NetstringDecoder().push(Buffer.from('12345678901'))).toThrow(/too long/);
  });
});
