import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PASSWORD_COST } from '../../../server/auth/password';
import type { Db } from '../../../server/db/db';
import { UserService } from '../../../server/services/users';
import type { TokenResponse } from '../../../shared/sync/protocol';
import { startPostgres, type TestPostgres } from '../../helpers/postgres';
import { call, openTestDb, startTestServer, type TestServer } from '../../helpers/serverHarness';

let pgsrv: TestPostgres;
let db: Db;
let srv: TestServer;

beforeAll(async () => {
  pgsrv = await startPostgres();
  db = await openTestDb(await pgsrv.createDatabase());
  srv = await startTestServer(db);
  await srv.server.users.create({ id: 'alice', password: 'correct horse', role: 'agent', team: 'red' });
  await srv.server.users.create({ id: 'dave', password: 'correct horse', role: 'agent' });
  await srv.server.users.create({ id: 'eve', password: 'correct horse', role: 'agent' });
});

afterAll(async () => {
  await srv?.close();
  await db?.close();
  await pgsrv?.stop();
});

const login = (username: string, password: string) => call<TokenResponse & { error: { code: string } }>(srv.url, 'POST', '/auth/login', { body: { username, password } });

describe('sign-in', () => {
  it('gives a short-lived access token and a refresh token for the right password, 401 otherwise', async () => {
    const ok = await login('alice', 'correct horse');
    expect(ok.status).toBe(200);
    expect(ok.body.expiresIn).toBe(15 * 60);
    expect(ok.body.user).toEqual({ id: 'alice', displayName: 'alice', role: 'agent', team: 'red', disabled: false, version: 1 });
    expect((await call(srv.url, 'GET', '/me', { token: ok.body.accessToken })).body).toMatchObject({ id: 'alice' });
    expect((await login('alice', 'wrong horse')).status).toBe(401);
    expect((await login('nobody', 'correct horse')).status).toBe(401);
  });

  it('refuses a disabled user', async () => {
    await srv.server.users.update('dave', { disabled: true });
    const res = await login('dave', 'correct horse');
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHORIZED');
  });

  it('refuses a tampered or foreign access token', async () => {
    const ok = await login('alice', 'correct horse');
    const [body, mac] = ok.body.accessToken.split('.');
    const forged = Buffer.from(JSON.stringify({ sub: 'alice', role: 'admin', team: null, iat: 0, exp: 4e9 })).toString('base64url');
    expect((await call(srv.url, 'GET', '/admin/users', { token: `${forged}.${mac}` })).status).toBe(401);
    expect((await call(srv.url, 'GET', '/me', { token: `${body}.AAAA` })).status).toBe(401);
    expect((await call(srv.url, 'GET', '/me', { token: 'garbage' })).status).toBe(401);
  });

  it('stores passwords as argon2id hashes with a memory-hard cost', async () => {
    const users = new UserService(db, DEFAULT_PASSWORD_COST);
    await users.create({ id: 'hashcheck', password: 'some password' });
    const { rows } = await db.query<{ password_hash: string }>('SELECT password_hash FROM users WHERE id = $1', [`hashcheck`]);
    expect(rows[0]!.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(rows[0]!.password_hash).not.toContain('some password');
  });
});

describe('refresh tokens', () => {
  it('rotates on every use; presenting a used one revokes the whole family', async () => {
    const first = (await login('alice', 'correct horse')).body;
    const second = await call<TokenResponse>(srv.url, 'POST', '/auth/refresh', { body: { refreshToken: first.refreshToken } });
    expect(second.status).toBe(200);
    expect(second.body.refreshToken).not.toBe(first.refreshToken);
    expect((await call(srv.url, 'GET', '/me', { token: second.body.accessToken })).status).toBe(200);
    // Replaying the first (stolen) token: refused, and the legitimate newer one dies with it.
    expect((await call(srv.url, 'POST', '/auth/refresh', { body: { refreshToken: first.refreshToken } })).status).toBe(401);
    expect((await call(srv.url, 'POST', '/auth/refresh', { body: { refreshToken: second.body.refreshToken } })).status).toBe(401);
    const { rows } = await db.query<{ token_hash: string }>('SELECT token_hash FROM refresh_tokens');
    expect(rows.some((r) => r.token_hash === first.refreshToken)).toBe(false);
  });

  it('signs out by revoking the refresh token', async () => {
    const t = (await login('alice', 'correct horse')).body;
    expect((await call(srv.url, 'POST', '/auth/logout', { body: { refreshToken: t.refreshToken } })).status).toBe(204);
    expect((await call(srv.url, 'POST', '/auth/refresh', { body: { refreshToken: t.refreshToken } })).status).toBe(401);
  });
});

describe('sign-in rate limit', () => {
  it('allows 5 attempts per user and address per minute, then answers 429 even for the right password', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await login('eve', 'guess')).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401]);
    const blocked = await login('eve', 'correct horse');
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.code).toBe('RATE_LIMITED');
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    // Other users from the same address are not locked out by eve's attempts.
    expect((await login('alice', 'correct horse')).status).toBe(200);
  });

  it('counts across server instances (the counter lives in the database)', async () => {
    const other = await startTestServer(db);
    try {
      await srv.server.users.create({ id: 'frank', password: 'correct horse', role: 'agent' });
      for (let i = 0; i < 3; i++) await login('frank', 'guess');
      const viaOther = (username: string, password: string) => call(other.url, 'POST', '/auth/login', { body: { username, password } });
      expect((await viaOther('frank', 'guess')).status).toBe(401);
      expect((await viaOther('frank', 'guess')).status).toBe(401);
      expect((await viaOther('frank', 'correct horse')).status).toBe(429);
    } finally {
      await other.close();
    }
  });

  it('opens again when the minute is over', async () => {
    let clock = Date.now();
    const timed = await startTestServer(db, {}, { now: () => clock });
    try {
      await srv.server.users.create({ id: 'gina', password: 'correct horse', role: 'agent' });
      const attempt = (password: string) => call(timed.url, 'POST', '/auth/login', { body: { username: 'gina', password } });
      for (let i = 0; i < 5; i++) await attempt('guess');
      expect((await attempt('correct horse')).status).toBe(429);
      clock += 61_000;
      expect((await attempt('correct horse')).status).toBe(200);
    } finally {
      await timed.close();
    }
  });

  it('keeps the counter table bounded: counters of unknown user names are deleted once their minute is over', async () => {
    let clock = Date.now() + 10 * 60_000;
    const timed = await startTestServer(db, {}, { now: () => clock });
    const countRows = async () => Number((await db.query<{ n: number }>('SELECT count(*)::int AS n FROM login_attempts')).rows[0]!.n);
    try {
      const attempt = (username: string) => call(timed.url, 'POST', '/auth/login', { body: { username, password: 'guess' } });
      for (let round = 0; round < 3; round++) {
        for (let i = 0; i < 40; i++) expect((await attempt(`nobody-${round}-${i}`)).status).toBe(401);
        clock += 61_000;
      }
      // Each round's 40 names outlive their minute only until the next sweep: never three rounds' worth.
      expect(await countRows()).toBeLessThanOrEqual(40);
      clock += 61_000;
      await attempt('nobody-last');
      expect(await countRows()).toBe(1);
    } finally {
      await timed.close();
    }
  });
});
