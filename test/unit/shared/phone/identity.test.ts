import { describe, expect, it } from 'vitest';
import { callInfoAnswerAfter, normaliseDialTarget, parseNameAddr, remoteIdentity, splitHeaderList, uriNumber } from '../../../../shared/phone/identity';

describe('remote identity', () => {
  it('prefers P-Asserted-Identity over From for inbound calls', () => {
    const id = remoteIdentity('inbound', {
      pAssertedIdentity: '"Zhang Wei" <sip:+8613800138000@pbx.example;user=phone>, <tel:+8613800138000>',
      from: '"Spoofed" <sip:999@evil.example>;tag=1',
    });
    expect(id).toEqual({ number: '+8613800138000', displayName: 'Zhang Wei', uri: 'sip:+8613800138000@pbx.example;user=phone', source: 'p-asserted-identity' });
  });

  it('falls back to From, and uses To for outbound calls', () => {
    expect(remoteIdentity('inbound', { from: '<sip:1002@pbx.example>;tag=abc' })).toMatchObject({ number: '1002', displayName: '', source: 'from' });
    expect(remoteIdentity('outbound', { to: '"Li" <sip:%2B861@pbx.example>' })).toMatchObject({ number: '+861', displayName: 'Li', source: 'to' });
    expect(remoteIdentity('inbound', { from: 'garbage' })).toEqual({ number: '', displayName: '', uri: 'garbage', source: 'from' });
  });

  it('parses name-addr forms, tel URIs and lists with quoted commas', () => {
    expect(parseNameAddr('"A \\"B\\", C" <sip:1@h>')).toEqual({ displayName: 'A "B", C', uri: 'sip:1@h' });
    expect(parseNameAddr('sip:5@h;tag=1')).toEqual({ displayName: '', uri: 'sip:5@h' });
    expect(parseNameAddr('<http://x>')).toBeNull();
    expect(uriNumber('tel:+86-10-1234;phone-context=x')).toBe('+86-10-1234');
    expect(splitHeaderList('"a, b" <sip:1@h>, <tel:2>')).toEqual(['"a, b" <sip:1@h>', '<tel:2>']);
  });

  it('normalises dial targets and refuses junk', () => {
    expect(normaliseDialTarget(' +86 (10) 1234-5678 ')).toEqual({ kind: 'number', value: '+861012345678' });
    expect(normaliseDialTarget('sip:bob@pbx.example')).toEqual({ kind: 'uri', value: 'sip:bob@pbx.example' });
    expect(normaliseDialTarget('rm -rf /')).toBeNull();
  });

  it('reads Call-Info answer-after', () => {
    expect(callInfoAnswerAfter('<sip:pbx>;answer-after=5')).toBe(5);
    expect(callInfoAnswerAfter('<sip:pbx>;purpose=icon')).toBeNull();
    expect(callInfoAnswerAfter(undefined)).toBeNull();
  });
});
