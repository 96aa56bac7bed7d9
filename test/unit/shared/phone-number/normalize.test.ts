import { describe, expect, it } from 'vitest';
import { normalizePhoneNumber, phoneDigits, toE164 } from '../../../../shared/phone-number/normalize';

const CN = { defaultRegion: 'CN' };
const US = { defaultRegion: 'US' };
const GB = { defaultRegion: 'GB' };

/** [input, default region options, expected E.164, expected extension] */
const TABLE: Array<[string, { defaultRegion: string; pbxPrefixes?: string[] }, string, string | null]> = [
  // Chinese mobiles
  ['13800138000', CN, '+8613800138000', null],
  ['138 0013 8000', CN, '+8613800138000', null],
  ['138-0013-8000', CN, '+8613800138000', null],
  ['+86 138 0013 8000', CN, '+8613800138000', null],
  ['+86-13800138000', CN, '+8613800138000', null],
  ['008613800138000', CN, '+8613800138000', null],
  ['0086 138 0013 8000', CN, '+8613800138000', null],
  ['8613800138000', CN, '+8613800138000', null],
  ['(+86) 138.0013.8000', CN, '+8613800138000', null],
  ['１３８００１３８０００', CN, '+8613800138000', null],
  ['＋８６ １３９ １２３４ ５６７８', CN, '+8613912345678', null],
  ['+8613800138000', US, '+8613800138000', null],
  // Chinese landlines with area codes
  ['0755-8888 1234', CN, '+8675588881234', null],
  ['0755 88881234', CN, '+8675588881234', null],
  ['(0755) 8888-1234', CN, '+8675588881234', null],
  ['+86 755 88881234', CN, '+8675588881234', null],
  ['+86 (0)755 8888 1234', CN, '+8675588881234', null],
  ['0086-755-88881234', CN, '+8675588881234', null],
  ['010-6552 9988', CN, '+861065529988', null],
  ['+86 10 6552 9988', CN, '+861065529988', null],
  ['021-5555 1234', CN, '+862155551234', null],
  ['020 8765 4321', CN, '+862087654321', null],
  ['0571-8702 2088', CN, '+8657187022088', null],
  ['400-810-8888', CN, '+864008108888', null],
  // Extensions
  ['0755-88881234-8012', CN, '+8675588881234', '8012'],
  ['0755-88881234转8012', CN, '+8675588881234', '8012'],
  ['0755 8888 1234 分机 301', CN, '+8675588881234', '301'],
  ['0755 8888 1234 ext. 12', CN, '+8675588881234', '12'],
  ['021-80019777-8332', CN, '+862180019777', '8332'],
  ['+1 212 555 0123 x45', US, '+12125550123', '45'],
  ['(212) 555-0123 #7', US, '+12125550123', '7'],
  ['212-555-0123 extension 99', US, '+12125550123', '99'],
  // United States
  ['(212) 555-0123', US, '+12125550123', null],
  ['212.555.0123', US, '+12125550123', null],
  ['1-212-555-0123', US, '+12125550123', null],
  ['+1 (212) 555-0123', US, '+12125550123', null],
  ['011 86 138 0013 8000', US, '+8613800138000', null],
  ['001 212 555 0123', CN, '+12125550123', null],
  ['+1 415 555 2671', CN, '+14155552671', null],
  // United Kingdom
  ['020 7946 0958', GB, '+442079460958', null],
  ['+44 (0)20 7946 0958', GB, '+442079460958', null],
  ['0044 20 7946 0958', CN, '+442079460958', null],
  ['07911 123456', GB, '+447911123456', null],
  ['+44 7911 123456', CN, '+447911123456', null],
  ['00 44 161 496 0000', GB, '+441614960000', null],
  // Hong Kong from mainland
  ['00852 2812 3456', CN, '+85228123456', null],
  ['+852 9123 4567', CN, '+85291234567', null],
  // PBX outside-line prefix 9
  ['9 13800138000', { defaultRegion: 'CN', pbxPrefixes: ['9'] }, '+8613800138000', null],
  ['9 0755 8888 1234', { defaultRegion: 'CN', pbxPrefixes: ['9'] }, '+8675588881234', null],
  ['9-1-212-555-0123', { defaultRegion: 'US', pbxPrefixes: ['9'] }, '+12125550123', null],
  ['9 00 44 20 7946 0958', { defaultRegion: 'CN', pbxPrefixes: ['9'] }, '+442079460958', null],
  // URIs
  ['tel:+86-755-8888-1234', CN, '+8675588881234', null],
  ['tel:+8613800138000;ext=22', CN, '+8613800138000', '22'],
  ['tel:88881234;phone-context=+86755', CN, '+8675588881234', null],
  ['sip:+8613800138000@pbx.example.com;user=phone', CN, '+8613800138000', null],
  ['sip:013800138000@10.0.0.1', CN, '+8613800138000', null],
  ['<sip:075588881234@pbx.example.com:5060;transport=udp>', CN, '+8675588881234', null],
  ['"Zhang Wei" <sip:+86%20138%200013%208000@pbx.example.com;user=phone>;tag=a1', CN, '+8613800138000', null],
  ['sips:+442079460958@sbc.example.co.uk;user=phone', CN, '+442079460958', null],
];

describe('normalizePhoneNumber: real-world formats table', () => {
  it('has at least 40 formats', () => {
    expect(TABLE.length).toBeGreaterThanOrEqual(40);
  });
  it.each(TABLE)('%s (%o) -> %s', (input, options, e164, extension) => {
    const result = normalizePhoneNumber(input, options);
    expect(result).toMatchObject({ kind: 'number', e164, extension });
  });
});

describe('normalizePhoneNumber: what is not a plain number', () => {
  it.each(['anonymous', 'Anonymous', 'withheld', 'Restricted', 'PRIVATE', 'unavailable', '匿名', 'sip:anonymous@anonymous.invalid', '<sip:anonymous@pbx.example.com>'])(
    '%s is withheld',
    (input) => {
      expect(normalizePhoneNumber(input, CN)).toEqual({ kind: 'withheld' });
    },
  );

  it.each([
    ['', 'empty'],
    ['   ', 'empty'],
    ['call me', 'no-digits'],
    ['12', 'too-short'],
    ['1234567890123456789012345', 'too-long'],
    ['sip:alice@example.com', 'unparseable'],
    ['1-800-FLOWERS', 'unparseable'],
  ])('%j is invalid (%s)', (input, reason) => {
    expect(normalizePhoneNumber(input, CN)).toEqual({ kind: 'invalid', reason });
  });

  it.each([
    ['95588', '95588'],
    ['955 88', '95588'],
    ['10086', '10086'],
    ['１００８６', '10086'],
    ['123456', '123456'],
    ['tel:95588', '95588'],
  ])('keeps short code %j as its literal digits %j', (input, key) => {
    expect(normalizePhoneNumber(input, CN)).toMatchObject({ kind: 'number', e164: key, national: key, international: key, shortCode: true, extension: null });
  });

  it('reads short codes only where no number of the region fits', () => {
    expect(normalizePhoneNumber('1001', CN)).toEqual({ kind: 'invalid', reason: 'too-short' });
    expect(normalizePhoneNumber('+95588', CN)).toMatchObject({ kind: 'invalid' });
    expect(normalizePhoneNumber('95588 x12', CN)).toMatchObject({ kind: 'invalid' });
    expect(normalizePhoneNumber('13800138000', CN)).toMatchObject({ e164: '+8613800138000', shortCode: false });
    expect(toE164('95588', CN)).not.toBe(toE164('+8695588', CN));
  });

  it('keeps a real number that starts with a PBX prefix digit', () => {
    expect(toE164('912 555 0123', { defaultRegion: 'US', pbxPrefixes: ['9'] })).toBe('+19125550123');
  });

  it('gives display formats with the number', () => {
    expect(normalizePhoneNumber('0755-8888 1234', CN)).toMatchObject({
      national: '0755 8888 1234',
      international: '+86 755 8888 1234',
      region: 'CN',
      valid: true,
    });
  });

  it('falls back to a safe region when the configured one is unknown', () => {
    expect(toE164('+86 138 0013 8000', { defaultRegion: 'XX' })).toBe('+8613800138000');
  });

  it('never throws on hostile input', () => {
    for (const input of ["' OR 1=1 --", '<<<>>>', 'sip:@', 'tel:', '"unterminated <sip:1', '\u0000\u0001', '+'.repeat(500)]) {
      expect(() => normalizePhoneNumber(input, CN)).not.toThrow();
    }
  });

  it('phoneDigits keeps only digits, folding full-width ones', () => {
    expect(phoneDigits('＋86 (755) 8888-1234')).toBe('8675588881234');
  });
});
