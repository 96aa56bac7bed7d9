import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { USER_ROLES, type UserRole } from '../../shared/sync/protocol';

/** Who is calling: taken from a verified access token. */
export interface Principal {
  id: string;
  role: UserRole;
  team: string | null;
}

const claimsSchema = z.object({
  sub: z.string(),
  role: z.enum(USER_ROLES),
  team: z.string().nullable(),
  iat: z.number(),
  exp: z.number(),
});

const b64 = (buf: Buffer | string) => Buffer.from(buf).toString('base64url');

/**
 * Access tokens: `base64url(claims).base64url(HMAC-SHA256(claims))`, short-lived. Every server
 * instance verifies them with the shared secret, so no session state is kept (stateless instances).
 */
export class TokenSigner {
  private readonly key: Buffer;

  constructor(
    secret: string,
    private readonly ttlSeconds: number,
    private readonly now: () => number = Date.now,
  ) {
    if (secret.length < 32) throw new Error('The token secret must be at least 32 characters');
    this.key = Buffer.from(secret, 'utf8');
  }

  /** Lifetime of an access token in seconds. */
  get ttl(): number {
    return this.ttlSeconds;
  }

  /** Signs an access token for `p`. */
  sign(p: Principal): string {
    const iat = Math.floor(this.now() / 1000);
    const body = b64(JSON.stringify({ sub: p.id, role: p.role, team: p.team, iat, exp: iat + this.ttlSeconds }));
    return `${body}.${this.mac(body)}`;
  }

  /** The principal of a valid, unexpired token; null otherwise. */
  verify(token: string): Principal | null {
    const dot = token.indexOf('.');
    if (dot <= 0 || dot !== token.lastIndexOf('.')) return null;
    const body = token.slice(0, dot);
    const given = Buffer.from(token.slice(dot + 1), 'base64url');
    const expected = Buffer.from(this.mac(body), 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
    let claims: z.infer<typeof claimsSchema>;
    try {
      claims = claimsSchema.parse(JSON.parse(Buffer.from(body, 'base64url').toString('utf8')));
    } catch {
      return null;
    }
    if (claims.exp * 1000 <= this.now()) return null;
    return { id: claims.sub, role: claims.role, team: claims.team };
  }

  private mac(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url');
  }
}

/** A new opaque refresh token (256 random bits). */
export function newRefreshToken(): string {
  return randomBytes(32).toString('base64url');
}

/** What the database stores for a refresh token: its SHA-256, never the token. */
export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}
