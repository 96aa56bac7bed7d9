import { describe, expect, it } from 'vitest';
import { hashRefreshToken, newRefreshToken, TokenSigner } from '../../../../server/auth/tokens';

const SECRET = 'x'.repeat(40);

describe('TokenSigner', () => {
  it('verifies its own tokens until they expire', () => {
    let now = 1_000_000;
    const s = new TokenSigner(SECRET, 900, () => now);
    const token = s.sign({ id: 'alice', role: 'agent', team: 'red' });
    expect(s.verify(token)).toEqual({ id: 'alice', role: 'agent', team: 'red' });
    now += 899_000;
    expect(s.verify(token)).not.toBeNull();
    now += 1_000;
    expect(s.verify(token)).toBeNull();
  });

  it('refuses tokens signed with another secret or altered', () => {
    const s = new TokenSigner(SECRET, 900);
    const other = new TokenSigner('y'.repeat(40), 900);
    const token = other.sign({ id: 'alice', role: 'admin', team: null });
    expect(s.verify(token)).toBeNull();
    const mine = s.sign({ id: 'alice', role: 'agent', team: null });
    const [body, mac] = mine.split('.');
    const promoted = Buffer.from(Buffer.from(body!, 'base64url').toString().replace('"agent"', '"admin"')).toString('base64url');
    expect(s.verify(`${promoted}.${mac}`)).toBeNull();
    expect(s.verify('a.b.c')).toBeNull();
  });

  it('refuses a short secret', () => {
    expect(() => new TokenSigner('short', 900)).toThrow(/at least 32/);
  });
});

describe('refresh tokens', () => {
  it('are random and stored only as a hash', () => {
    const a = newRefreshToken();
    expect(a).not.toBe(newRefreshToken());
    expect(hashRefreshToken(a)).not.toContain(a);
    expect(hashRefreshToken(a)).toBe(hashRefreshToken(a));
  });
});
