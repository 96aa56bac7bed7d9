import { describe, expect, it } from 'vitest';
import { identityNumberText, parseSipIdentity, splitIdentityList } from '../../../../shared/phone-number/sipUri';

describe('parseSipIdentity', () => {
  it('reads a name-addr with a quoted display name, URI and header parameters', () => {
    expect(parseSipIdentity('"Zhang, Wei" <sip:+8613800138000@pbx.example.com:5060;user=phone;transport=ws>;tag=abc')).toEqual({
      displayName: 'Zhang, Wei',
      scheme: 'sip',
      user: '+8613800138000',
      host: 'pbx.example.com:5060',
      userParams: {},
      uriParams: { user: 'phone', transport: 'ws' },
    });
  });

  it('reads an unquoted display name, a tel: URI with parameters and percent-encoding', () => {
    expect(parseSipIdentity('Front Desk <tel:+86-755-8888-1234;ext=12>')).toMatchObject({ displayName: 'Front Desk', scheme: 'tel', user: '+86-755-8888-1234', userParams: { ext: '12' } });
    expect(parseSipIdentity('<sip:%2B8613800138000@x>')).toMatchObject({ user: '+8613800138000' });
  });

  it('treats parameters after a bare addr-spec as header parameters', () => {
    expect(parseSipIdentity('sip:1001@pbx;tag=1')).toMatchObject({ user: '1001', host: 'pbx', uriParams: {} });
  });

  it('reads user-part parameters (phone-context) and ignores a password', () => {
    expect(parseSipIdentity('<sip:88881234;phone-context=+86755@pbx;user=phone>')).toMatchObject({ user: '88881234', userParams: { 'phone-context': '+86755' } });
    expect(parseSipIdentity('sip:alice:secret@example.com')).toMatchObject({ user: 'alice' });
  });

  it('returns null for nothing', () => {
    expect(parseSipIdentity('')).toBeNull();
    expect(parseSipIdentity('   ')).toBeNull();
  });
});

describe('splitIdentityList', () => {
  it('splits on commas outside quotes and brackets', () => {
    expect(splitIdentityList('"A, B" <sip:1@x>, <tel:+1;x=a,b>')).toEqual(['"A, B" <sip:1@x>', '<tel:+1;x=a,b>']);
  });
});

describe('identityNumberText', () => {
  it('gives the number of a phone-like user part, with phone-context and extension', () => {
    expect(identityNumberText(parseSipIdentity('sip:+86 755 8888 1234@x')!)).toBe('+86 755 8888 1234');
    expect(identityNumberText(parseSipIdentity('<sip:88881234;phone-context=+86-755@x>')!)).toBe('+8675588881234');
    expect(identityNumberText(parseSipIdentity('<tel:+8613800138000;ext=5>')!)).toBe('+8613800138000;ext=5');
    expect(identityNumberText(parseSipIdentity('<sip:alice@x>')!)).toBeNull();
    expect(identityNumberText(parseSipIdentity('<sip:88881234;phone-context=example.com@x>')!)).toBe('88881234');
  });
});
