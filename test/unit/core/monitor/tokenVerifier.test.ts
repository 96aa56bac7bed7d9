import { describe, expect, it } from 'vitest';
import { generateMonitorKey, signMonitorToken } from '../../../../server/monitor/tokenSigner';
import { monitorKeyFromBase64, verifyMonitorToken } from '../../../../electron/core/monitor/tokenVerifier';

const grant = { supervisor: 'sue', agent: 'alice', call: 'c-1' };
const NOW = Date.UTC(2026, 11, 3, 10, 0, 0);

describe('monitoring token signature (Ed25519)', () => {
  const key = generateMonitorKey();
  const pub = monitorKeyFromBase64(key.publicKeyBase64);

  it('accepts a token the server signed, with its claims', () => {
    const r = verifyMonitorToken(signMonitorToken(grant, key, NOW), pub);
    expect(r).toEqual({ ok: true, claims: expect.objectContaining({ v: 1, sup: 'sue', agent: 'alice', call: 'c-1', iat: NOW / 1000, exp: NOW / 1000 + 60 }) });
  });

  it('refuses a token signed with another key (forged)', () => {
    expect(verifyMonitorToken(signMonitorToken(grant, generateMonitorKey(), NOW), pub)).toMatchObject({ ok: false, reason: 'bad-signature' });
  });

  it('refuses changed claims under the original signature (tampered)', () => {
    const [v, claims, sig] = signMonitorToken({ ...grant, agent: 'carol' }, key, NOW).split('.');
    const changed = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(claims!, 'base64url').toString()), agent: 'alice' })).toString('base64url');
    expect(verifyMonitorToken(`${v}.${changed}.${sig}`, pub)).toMatchObject({ ok: false, reason: 'bad-signature', claims: { agent: 'alice' } });
    const longer = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(claims!, 'base64url').toString()), exp: NOW / 1000 + 86_400 })).toString('base64url');
    expect(verifyMonitorToken(`${v}.${longer}.${sig}`, pub)).toMatchObject({ ok: false, reason: 'bad-signature' });
  });

  it('refuses garbage, wrong claims and a missing key without throwing', () => {
    expect(verifyMonitorToken('', pub)).toMatchObject({ ok: false, reason: 'malformed' });
    expect(verifyMonitorToken('v1.not json at all!.sig', pub)).toMatchObject({ ok: false, reason: 'malformed' });
    const noJson = `v1.${Buffer.from('not json, long enough').toString('base64url')}.${'A'.repeat(86)}`;
    expect(verifyMonitorToken(noJson, pub)).toMatchObject({ ok: false, reason: 'malformed' });
    const wrongShape = `v1.${Buffer.from(JSON.stringify({ v: 1, agent: 'alice' })).toString('base64url')}.${'A'.repeat(86)}`;
    expect(verifyMonitorToken(wrongShape, pub)).toMatchObject({ ok: false, reason: 'malformed' });
    expect(verifyMonitorToken(signMonitorToken(grant, key, NOW), null)).toMatchObject({ ok: false, reason: 'no-key' });
  });

  it('reads the server key from its setting form only when it is 32 bytes of base64', () => {
    expect(monitorKeyFromBase64('')).toBeNull();
    expect(monitorKeyFromBase64(Buffer.alloc(16).toString('base64'))).toBeNull();
    expect(monitorKeyFromBase64(key.publicKeyBase64)?.asymmetricKeyType).toBe('ed25519');
  });
});
