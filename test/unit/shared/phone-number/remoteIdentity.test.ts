import { describe, expect, it } from 'vitest';
import { callInfoAnswerAfter, MAX_REMOTE_DISPLAY_NAME, normaliseDialTarget, remoteIdentity } from '../../../../shared/phone-number/sipUri';

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
    expect(remoteIdentity('inbound', { from: '"A \\"B\\", C" <sip:1@h>' })).toMatchObject({ displayName: 'A "B", C', uri: 'sip:1@h', number: '1' });
    expect(remoteIdentity('inbound', { from: 'sip:5@h;tag=1' })).toMatchObject({ displayName: '', uri: 'sip:5@h', number: '5' });
    expect(remoteIdentity('inbound', { from: '<http://x>' })).toMatchObject({ number: '', uri: '<http://x>' });
    expect(remoteIdentity('inbound', { from: 'tel:+86-10-1234;phone-context=x' })).toMatchObject({ number: '+86-10-1234', uri: 'tel:+86-10-1234' });
    expect(remoteIdentity('inbound', { pAssertedIdentity: '"a, b" <http://h>, <tel:2>' })).toMatchObject({ number: '2', uri: 'tel:2', source: 'p-asserted-identity' });
  });

  // What hostile or odd callers send, and what the agent must see: the number always, the name as
  // plain text (no bidi controls, no line breaks, bounded).
  const long = 'A'.repeat(2000);
  const hostile: Array<[string, { pAssertedIdentity?: string; from?: string }, { number: string; displayName: string }]> = [
    ['"<" inside the quoted name', { from: '"Evil <x> name" <sip:+8613800138000@pbx>;tag=1' }, { number: '+8613800138000', displayName: 'Evil <x> name' }],
    ['a whole fake URI inside the quoted name', { from: '"<sip:+1999@evil> " <sip:+8613800138000@pbx>' }, { number: '+8613800138000', displayName: '<sip:+1999@evil>' }],
    ['">" and "," and ";" in the name', { from: '"a>b, c;d" <sip:1002@pbx>' }, { number: '1002', displayName: 'a>b, c;d' }],
    ['escaped quote and backslash', { from: '"say \\"hi\\" \\\\o/" <sip:1002@pbx>' }, { number: '1002', displayName: 'say "hi" \\o/' }],
    ['right-to-left override and isolates', { from: '"Evil \u202Eeman\u2066x\u2069\u200F" <sip:+8613800138000@pbx>' }, { number: '+8613800138000', displayName: 'Evil emanx' }],
    ['line breaks and tabs in the name', { from: '"Line\u2028one\ttwo\u0085three" <sip:1002@pbx>' }, { number: '1002', displayName: 'Line one two three' }],
    ['a 2,000-character name', { from: `"${long}" <sip:+8613800138000@pbx>` }, { number: '+8613800138000', displayName: `${'A'.repeat(MAX_REMOTE_DISPLAY_NAME - 1)}…` }],
    ['"<" in a P-Asserted-Identity list', { pAssertedIdentity: '"x <y>, z" <sip:+8613800138000@pbx>, <tel:+8613800138000>', from: '<sip:999@evil>' }, { number: '+8613800138000', displayName: 'x <y>, z' }],
    ['unterminated quote in PAI falls back to From', { pAssertedIdentity: '"Evil <sip:+1999@evil>', from: '"Ok" <sip:+8613800138000@pbx>' }, { number: '+8613800138000', displayName: 'Ok' }],
    ['PAI without a name keeps From\'s', { pAssertedIdentity: '<tel:+8613800138000>', from: '"Wang \\"W\\" <1>" <sip:2001@pbx>' }, { number: '+8613800138000', displayName: 'Wang "W" <1>' }],
    ['token display name', { from: 'Front  Desk <tel:+8675588881234>' }, { number: '+8675588881234', displayName: 'Front Desk' }],
  ];
  it.each(hostile)('hostile caller: %s', (_label, headers, expected) => {
    expect(remoteIdentity('inbound', headers)).toMatchObject(expected);
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
