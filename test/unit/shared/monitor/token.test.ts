import { describe, expect, it } from 'vitest';
import { checkMonitorClaims, splitMonitorToken, type MonitorClaims } from '../../../../shared/monitor/token';

const NOW = Date.UTC(2026, 11, 3, 10, 0, 0);
const claims: MonitorClaims = { v: 1, jti: 'token-0001', sup: 'sue', agent: 'alice', call: 'c-1', iat: NOW / 1000, exp: NOW / 1000 + 60 };
const ctx = { now: NOW + 5_000, agentId: 'alice', hasLiveCall: (id: string) => id === 'c-1', seen: () => false };

describe('monitoring token claims (checked by the agent\'s desktop)', () => {
  it('lets a fresh token for this agent and a live call of theirs through', () => {
    expect(checkMonitorClaims(claims, ctx)).toBeNull();
  });

  it('refuses an expired token, one issued for far longer than the server ever does, and one from the future', () => {
    expect(checkMonitorClaims(claims, { ...ctx, now: NOW + 60_000 })).toBe('expired');
    expect(checkMonitorClaims({ ...claims, exp: claims.iat + 86_400 }, ctx)).toBe('expired');
    expect(checkMonitorClaims({ ...claims, iat: claims.iat + 120, exp: claims.iat + 180 }, ctx)).toBe('not-yet-valid');
  });

  it('refuses a token for another agent (out of the scope the server signed) and for a call that is not live here', () => {
    expect(checkMonitorClaims(claims, { ...ctx, agentId: 'carol' })).toBe('other-agent');
    expect(checkMonitorClaims({ ...claims, call: 'c-2' }, ctx)).toBe('no-such-call');
  });

  it('refuses a replay', () => {
    expect(checkMonitorClaims(claims, { ...ctx, seen: (jti) => jti === 'token-0001' })).toBe('replayed');
  });

  it('splits only the v1 wire form', () => {
    expect(splitMonitorToken('v1.abcdefghijkl.abcdefghijklmnopqrstuvwxyz')).toEqual({ signed: 'v1.abcdefghijkl', claims: 'abcdefghijkl', signature: 'abcdefghijklmnopqrstuvwxyz' });
    expect(splitMonitorToken('v2.abcdefghijkl.abcdefghijklmnopqrstuvwxyz')).toBeNull();
    expect(splitMonitorToken('v1.abc def.xyz')).toBeNull();
  });
});
