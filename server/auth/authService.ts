import { randomUUID } from 'node:crypto';
import { AppError } from '../../shared/api/result';
import type { TokenResponse } from '../../shared/sync/protocol';
import type { Db } from '../db/db';
import type { Logger } from '../log';
import { toUser, type UserRow, type UserService } from '../services/users';
import { randomBytes } from 'node:crypto';
import { hashPassword, verifyPassword, type PasswordCost } from './password';
import { hashRefreshToken, newRefreshToken, type TokenSigner } from './tokens';

/** Sign-in attempts allowed per user and address within the window. */
export interface LoginLimit {
  max: number;
  windowMs: number;
}


/**
 * Sign-in, token refresh and sign-out. Attempts are counted per (user, client address) in the
 * database, so the limit holds across server instances; every attempt counts (so a locked-out
 * address cannot even try the right password) and a successful sign-in resets the count. Refresh tokens are stored hashed, used
 * once and rotated; presenting a used one revokes its whole family (a stolen token is detected).
 */
export class AuthService {
  /** A hash of a password nobody has, so an unknown user costs as much as a wrong password. */
  private dummyHash: Promise<string> | null = null;
  /** When this instance last deleted expired sign-in counters. */
  private lastSweep = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly db: Db,
    private readonly users: UserService,
    private readonly signer: TokenSigner,
    private readonly limit: LoginLimit,
    private readonly refreshTtlMs: number,
    private readonly logger: Logger,
    private readonly cost: PasswordCost,
    private readonly now: () => number = Date.now,
  ) {}

  /** Signs in; UNAUTHORIZED for a wrong user/password or a disabled user, RATE_LIMITED over the limit. */
  async login(username: string, password: string, address: string): Promise<TokenResponse> {
    const key = `${username.toLowerCase()}|${address}`;
    const wait = await this.countAttempt(key);
    if (wait > 0) {
      this.logger.warn('sign-in rate limited', { user: username, address });
      throw new AppError('RATE_LIMITED', 'Too many sign-in attempts: wait a minute and try again', { retryAfterSeconds: Math.ceil(wait / 1000) });
    }
    const user = await this.users.find(username);
    this.dummyHash ??= hashPassword(randomBytes(16).toString('hex'), this.cost);
    const good = await verifyPassword(password, user?.password_hash ?? (await this.dummyHash));
    if (!user || !good || user.disabled) {
      this.logger.info('sign-in refused', { user: username, address });
      throw new AppError('UNAUTHORIZED', 'Wrong user name or password');
    }
    // A successful sign-in clears the count: only failures pile up towards the limit.
    await this.db.query('DELETE FROM login_attempts WHERE key = $1', [key]);
    return this.issue(user, randomUUID());
  }

  /** Exchanges a refresh token for new tokens (the old one is used up). */
  async refresh(token: string): Promise<TokenResponse> {
    const hash = hashRefreshToken(token);
    const now = this.now();
    const row = await this.db.transaction(async (tx) => {
      const { rows } = await tx.query<{ user_id: string; family: string; expires_at: number; used_at: number | null; revoked_at: number | null }>(
        'SELECT user_id, family, expires_at, used_at, revoked_at FROM refresh_tokens WHERE token_hash = $1 FOR UPDATE',
        [hash],
      );
      const r = rows[0];
      if (!r) return null;
      if (r.used_at !== null || r.revoked_at !== null) {
        await tx.query('UPDATE refresh_tokens SET revoked_at = $2 WHERE family = $1 AND revoked_at IS NULL', [r.family, now]);
        return { reuse: true as const, ...r };
      }
      await tx.query('UPDATE refresh_tokens SET used_at = $2 WHERE token_hash = $1', [hash, now]);
      return { reuse: false as const, ...r };
    });
    if (!row || row.reuse || Number(row.expires_at) <= now) {
      if (row?.reuse) this.logger.warn('refresh token reused: family revoked', { user: row.user_id });
      throw new AppError('UNAUTHORIZED', 'Sign in again');
    }
    const user = await this.users.find(row.user_id);
    if (!user || user.disabled) throw new AppError('UNAUTHORIZED', 'Sign in again');
    return this.issue(user, row.family);
  }

  /** Revokes a refresh token's family (sign-out). Unknown tokens are ignored. */
  async logout(token: string): Promise<void> {
    await this.db.query(
      'UPDATE refresh_tokens SET revoked_at = $2 WHERE family = (SELECT family FROM refresh_tokens WHERE token_hash = $1) AND revoked_at IS NULL',
      [hashRefreshToken(token), this.now()],
    );
  }

  private async issue(user: UserRow, family: string): Promise<TokenResponse> {
    const refreshToken = newRefreshToken();
    await this.db.query('INSERT INTO refresh_tokens (token_hash, user_id, family, expires_at) VALUES ($1, $2, $3, $4)', [
      hashRefreshToken(refreshToken),
      user.id,
      family,
      this.now() + this.refreshTtlMs,
    ]);
    return {
      accessToken: this.signer.sign({ id: user.id, role: user.role, team: user.team }),
      expiresIn: this.signer.ttl,
      refreshToken,
      user: toUser(user),
    };
  }

  /** Counts one attempt; returns 0 when allowed, else the ms until the window ends. */
  private async countAttempt(key: string): Promise<number> {
    const now = this.now();
    await this.sweepExpired(now);
    const { rows } = await this.db.query<{ count: number; window_start: number }>(
      `INSERT INTO login_attempts (key, window_start, count) VALUES ($1, $2, 1)
       ON CONFLICT (key) DO UPDATE SET
         count = CASE WHEN login_attempts.window_start <= $2 - $3 THEN 1 ELSE login_attempts.count + 1 END,
         window_start = CASE WHEN login_attempts.window_start <= $2 - $3 THEN $2 ELSE login_attempts.window_start END
       RETURNING count, window_start`,
      [key, now, this.limit.windowMs],
    );
    const r = rows[0];
    if (!r || r.count <= this.limit.max) return 0;
    return Math.max(1, Number(r.window_start) + this.limit.windowMs - now);
  }

  /**
   * Deletes counters whose window is over (they count nothing any more), at most once per window
   * per instance. Without it every name ever tried (unknown users above all: nothing resets them)
   * stays forever; with it the table holds only the keys tried within about two windows.
   */
  private async sweepExpired(now: number): Promise<void> {
    if (now - this.lastSweep < this.limit.windowMs) return;
    this.lastSweep = now;
    await this.db.query('DELETE FROM login_attempts WHERE window_start <= $1', [now - this.limit.windowMs]);
  }
}
