import { describe, expect, it } from 'vitest';
import { resolveCallerId } from '../../../../shared/phone-number/callerId';

const CN = { defaultRegion: 'CN' };

describe('resolveCallerId', () => {
  it('prefers P-Asserted-Identity over From', () => {
    const caller = resolveCallerId(
      {
        from: '"Front desk" <sip:1001@pbx.example.com>;tag=xyz',
        pAssertedIdentity: '"Zhang Wei" <sip:+8613800138000@pbx.example.com;user=phone>',
      },
      CN,
    );
    expect(caller).toMatchObject({ kind: 'number', source: 'p-asserted-identity', number: { e164: '+8613800138000' }, displayName: 'Zhang Wei' });
  });

  it('reads a PAI carrying both a sip: and a tel: identity', () => {
    const caller = resolveCallerId({ pAssertedIdentity: '<sip:alice@example.com>, <tel:+86-755-8888-1234>' }, CN);
    expect(caller).toMatchObject({ kind: 'number', number: { e164: '+8675588881234' } });
  });

  it('reads several PAI header values', () => {
    const caller = resolveCallerId({ pAssertedIdentity: ['<sip:bob@example.com>', '<tel:+442079460958>'] }, CN);
    expect(caller).toMatchObject({ kind: 'number', number: { e164: '+442079460958' } });
  });

  it('falls back to From when PAI has no number', () => {
    const caller = resolveCallerId({ pAssertedIdentity: '<sip:gateway@carrier.example>', from: '<sip:075588881234@pbx.example.com>;tag=1' }, CN);
    expect(caller).toMatchObject({ kind: 'number', source: 'from', number: { e164: '+8675588881234' } });
  });

  it('uses a national From number with the default region and a PBX prefix', () => {
    const caller = resolveCallerId({ from: 'sip:913800138000@10.1.1.1' }, { defaultRegion: 'CN', pbxPrefixes: ['9'] });
    expect(caller).toMatchObject({ kind: 'number', number: { e164: '+8613800138000' } });
  });

  it('takes a global phone-context in front of a local number', () => {
    const caller = resolveCallerId({ from: '<sip:88881234;phone-context=+86755@pbx.example.com;user=phone>' }, CN);
    expect(caller).toMatchObject({ kind: 'number', number: { e164: '+8675588881234' } });
  });

  it('treats an anonymous From as withheld', () => {
    expect(resolveCallerId({ from: '"Anonymous" <sip:anonymous@anonymous.invalid>;tag=1' }, CN)).toEqual({ kind: 'withheld', displayName: null });
    expect(resolveCallerId({ from: '<sip:restricted@pbx.example.com>' }, CN)).toMatchObject({ kind: 'withheld' });
  });

  it('uses an asserted number even when From is anonymous', () => {
    const caller = resolveCallerId({ from: '<sip:anonymous@anonymous.invalid>', pAssertedIdentity: '<tel:+8613800138000>', privacy: 'id' }, CN);
    expect(caller).toMatchObject({ kind: 'number', number: { e164: '+8613800138000' } });
  });

  it('treats Privacy: id without a number as withheld', () => {
    expect(resolveCallerId({ from: '<sip:gateway@carrier.example>', privacy: 'id' }, CN)).toMatchObject({ kind: 'withheld' });
  });

  it('treats no caller information at all as withheld', () => {
    expect(resolveCallerId({}, CN)).toMatchObject({ kind: 'withheld' });
  });

  it('reports a SIP user that is not a phone number as unrecognised', () => {
    expect(resolveCallerId({ from: '"Alice" <sip:alice@example.com>' }, CN)).toEqual({ kind: 'unrecognised', displayName: 'Alice', user: 'alice' });
    expect(resolveCallerId({ from: '<sip:1001@pbx.example.com>' }, CN)).toMatchObject({ kind: 'unrecognised', user: '1001' });
  });

  it('accepts a plain number', () => {
    expect(resolveCallerId({ number: '0755-8888 1234' }, CN)).toMatchObject({ kind: 'number', source: 'number', number: { e164: '+8675588881234' } });
  });

  it('keeps escaped quotes in display names', () => {
    const caller = resolveCallerId({ from: '"Wei \\"Bill\\" Zhang" <sip:+8613800138000@x>' }, CN);
    expect(caller).toMatchObject({ displayName: 'Wei "Bill" Zhang' });
  });

  // A plain number is read by the normaliser: every format it accepts, not only URI-safe ones.
  it.each([
    ['0755-8888 1234 转 8012', '+8675588881234', '8012'],
    ['(+86) 138 0013 8000', '+8613800138000', null],
    ['１３８ ００１３ ８０００', '+8613800138000', null],
    ['+1 212 555 0123 x12', '+12125550123', '12'],
    ['0755 8888 1234 分机 12', '+8675588881234', '12'],
    ['95588', '95588', null],
  ])('reads the plain number %j', (number, e164, extension) => {
    expect(resolveCallerId({ number }, CN)).toMatchObject({ kind: 'number', number: { e164, extension }, source: 'number' });
  });

  it('reads a short code from a trunk and keeps extensions unrecognised', () => {
    expect(resolveCallerId({ pAssertedIdentity: '<sip:95588@trunk.example>' }, CN)).toMatchObject({ kind: 'number', number: { e164: '95588', shortCode: true } });
    expect(resolveCallerId({ number: '1001' }, CN)).toMatchObject({ kind: 'unrecognised', user: '1001' });
    expect(resolveCallerId({ number: 'anonymous' }, CN)).toMatchObject({ kind: 'withheld' });
  });

  it('gives the display name as plain bounded text, and the phone layer\'s when headers carry none', () => {
    const caller = resolveCallerId({ from: `"Evil <x> \u202E${'n'.repeat(300)}" <sip:+8613800138000@pbx>` }, CN);
    expect(caller.displayName).toHaveLength(200);
    expect(caller.displayName).toMatch(/^Evil <x> n+…$/);
    expect(resolveCallerId({ number: '13800138000', displayName: 'Li\u2066 Si\n' }, CN).displayName).toBe('Li Si');
  });
});
