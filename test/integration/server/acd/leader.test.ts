import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { ACD_ROUTER_LOCK, RouterLeadership } from '../../../../server/acd/leader';
import { createServerLogger } from '../../../../server/log';
import { startPostgres, type TestPostgres } from '../../../helpers/postgres';
import { until } from '../../../helpers/wait';

let pgsrv: TestPostgres;

beforeAll(async () => {
  pgsrv = await startPostgres();
});

afterAll(async () => {
  await pgsrv?.stop();
});

function contender(url: string, log: string[], name: string): RouterLeadership {
  return new RouterLeadership({
    databaseUrl: url,
    logger: createServerLogger('leader-test', 'error'),
    pollMs: 100,
    onLeader: () => void log.push(`${name} leads`),
    onLost: () => void log.push(`${name} lost`),
  });
}

describe('ACD router leadership (PostgreSQL advisory lock)', () => {
  it('exactly one instance leads; when its database session dies the other takes over and the first steps down', async () => {
    const url = await pgsrv.createDatabase();
    const log: string[] = [];
    const a = contender(url, log, 'a');
    const b = contender(url, log, 'b');
    await a.start();
    await b.start();
    await until(() => a.isLeader || b.isLeader, 'a leader');
    await new Promise((r) => setTimeout(r, 300)); // several polls: the other must stay standby
    expect([a.isLeader, b.isLeader].filter(Boolean)).toHaveLength(1);
    const [leader, standby] = a.isLeader ? [a, b] : [b, a];

    // The leader's session ends (as when its process is killed or its host loses the database).
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    const { rows } = await admin.query<{ pid: number }>("SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND objid = $1 AND granted", [ACD_ROUTER_LOCK]);
    expect(rows).toHaveLength(1);
    await admin.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
    await until(() => standby.isLeader, 'standby takes over');
    await until(() => !leader.isLeader, 'old leader steps down');
    await new Promise((r) => setTimeout(r, 300));
    expect([leader.isLeader, standby.isLeader]).toEqual([false, true]);
    expect(log.filter((l) => l.endsWith('leads'))).toHaveLength(2);
    await a.stop();
    await b.stop();
    // The lock goes with the ended session; PostgreSQL ends the backend just after the client leaves.
    const held = async () => (await admin.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND objid = $1", [ACD_ROUTER_LOCK])).rows[0]!.n;
    await expect.poll(held, { timeout: 10_000, interval: 50 }).toBe(0);
    await admin.end();
  });

  it('on the embedded database (one process) the instance leads at once', async () => {
    const log: string[] = [];
    const embedded = new RouterLeadership({ databaseUrl: null, logger: createServerLogger('leader-test', 'error'), onLeader: () => void log.push('embedded leads'), onLost: () => undefined });
    await embedded.start();
    expect(embedded.isLeader).toBe(true);
    expect(log).toEqual(['embedded leads']);
    await embedded.stop();
    expect(embedded.isLeader).toBe(false);
  });
});
