import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../server/db/db';
import { monitorKeyFromPem } from '../../../server/monitor/tokenSigner';
import { createLogRoot, createMemorySink } from '../../../shared/log/logger';
import { checkMonitorClaims } from '../../../shared/monitor/token';
import { monitorKeyFromBase64, verifyMonitorToken } from '../../../electron/core/monitor/tokenVerifier';
import { ServerApi } from '../../../electron/core/sync/serverApi';
import { startPostgres, type TestPostgres } from '../../helpers/postgres';
import { call, openTestDb, startTestServer, userWithToken, type TestServer } from '../../helpers/serverHarness';

// The server's side of listen / whisper / barge (docs/monitoring.md): it signs a monitoring token only
// for an agent in the caller's scope, on real PostgreSQL.
let pgsrv: TestPostgres;
let db: Db;
let srv: TestServer;
const tok: Record<string, string> = {};
const logs = createMemorySink();
const pem = crypto.generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();

beforeAll(async () => {
  pgsrv = await startPostgres();
  db = await openTestDb(await pgsrv.createDatabase());
  srv = await startTestServer(db, { monitorKeyPem: pem }, { logger: createLogRoot([logs], 'info').createLogger('test') });
  tok.alice = await userWithToken(srv.server, 'alice', 'agent', 'red');
  tok.carol = await userWithToken(srv.server, 'carol', 'agent', 'blue');
  tok.sue = await userWithToken(srv.server, 'sue', 'supervisor', 'red');
  tok.nat = await userWithToken(srv.server, 'nat', 'supervisor', null);
  tok.root = await userWithToken(srv.server, 'root', 'admin');
});

afterAll(async () => {
  await srv?.close();
  await db?.close();
  await pgsrv?.stop();
});

const askToken = (who: string, agent: string, callId = 'call-1') => call(srv.url, 'POST', '/monitoring/token', { token: tok[who], body: { agent, call: callId } });

describe('POST /monitoring/token', () => {
  it('signs a token for an agent of the supervisor\'s team that the agent\'s desktop accepts with the published key', async () => {
    const key = await call(srv.url, 'GET', '/monitoring/key', { token: tok.alice });
    expect(key.status).toBe(200);
    expect(key.body.publicKey).toBe(monitorKeyFromPem(pem).publicKeyBase64);
    const res = await askToken('sue', 'alice', 'c-42');
    expect(res.status).toBe(200);
    const check = verifyMonitorToken(res.body.token, monitorKeyFromBase64(key.body.publicKey));
    expect(check).toMatchObject({ ok: true, claims: { sup: 'sue', agent: 'alice', call: 'c-42' } });
    if (!check.ok) return;
    expect(check.claims.exp - check.claims.iat).toBe(60);
    const live = { now: Date.now(), agentId: 'alice', hasLiveCall: (id: string) => id === 'c-42', seen: () => false };
    expect(checkMonitorClaims(check.claims, live)).toBeNull();
    // The same token at another agent's desktop is refused there.
    expect(checkMonitorClaims(check.claims, { ...live, agentId: 'carol' })).toBe('other-agent');
  });

  it('publishes its key to desktops as central configuration (pulled like any setting, locked there)', async () => {
    const pulled = await call(srv.url, 'GET', '/sync/pull?cursor=0&limit=5000', { token: tok.alice });
    const entry = (pulled.body.changes as { entity: string; id: string; record?: unknown }[]).find((c) => c.entity === 'config' && c.id === 'monitoring.serverKey');
    expect(JSON.stringify(entry)).toContain(monitorKeyFromPem(pem).publicKeyBase64);
  });

  it('refuses (403) and logs an agent outside the supervisor\'s team, an unknown agent, and a supervisor without a team', async () => {
    for (const [who, agent] of [['sue', 'carol'], ['sue', 'nobody'], ['nat', 'alice']] as const) {
      const res = await askToken(who, agent);
      expect(res.status, `${who} -> ${agent}`).toBe(403);
      expect(res.body.token).toBeUndefined();
      expect(logs.records.some((r) => r.msg === 'monitoring token refused: agent out of scope' && r.fields?.supervisor === who && r.fields?.agent === agent)).toBe(true);
    }
  });

  it('is what a signed-in supervisor desktop asks through its server session (monitor:token)', async () => {
    const desk = new ServerApi({ baseUrl: srv.url });
    await desk.login('sue', 'password-123');
    const token = await desk.monitoringToken('alice', 'c-7');
    expect(verifyMonitorToken(token, monitorKeyFromBase64(monitorKeyFromPem(pem).publicKeyBase64))).toMatchObject({ ok: true, claims: { sup: 'sue', agent: 'alice', call: 'c-7' } });
    await expect(desk.monitoringToken('carol', 'c-8')).rejects.toMatchObject({ code: 'FORBIDDEN', message: 'Agent carol is not in your team' });
  });

  it('lets an admin monitor anyone, and never an agent (403) or an anonymous caller (401)', async () => {
    expect((await askToken('root', 'carol')).status).toBe(200);
    expect((await askToken('alice', 'alice')).status).toBe(403);
    expect((await call(srv.url, 'POST', '/monitoring/token', { body: { agent: 'alice', call: 'x' } })).status).toBe(401);
    expect((await call(srv.url, 'POST', '/monitoring/token', { token: tok.sue, body: { agent: '' } })).status).toBe(400);
  });
});
