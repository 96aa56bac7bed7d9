import { afterAll, beforeAll, describe, it } from 'vitest';
import type { Db } from '../../server/db/db';
import { startPostgres, type TestPostgres } from '../helpers/postgres';
import { call, openTestDb, startTestServer, userWithToken, type TestServer } from '../helpers/serverHarness';
import { benchSize, report, summarise } from './harness';

// The historical report over 90 days (issue 12 acceptance: 1M calls in under 2 s on PostgreSQL).
// Calls are generated in SQL (entered + answered/abandoned + ended events, and for answered calls the
// agent's logged interaction), spread over 90 days and 20 queues; then the day report per queue and
// the day report per agent are timed through the HTTP API.
const CALLS = benchSize('CALLDESK_BENCH_REPORT_CALLS', 100_000, 1_000_000);
const DAYS = 90;
let pgsrv: TestPostgres;
let db: Db;
let srv: TestServer;
let admin: string;
const END = Date.UTC(2026, 10, 30);
const START = END - DAYS * 86_400_000;

beforeAll(async () => {
  pgsrv = await startPostgres();
  db = await openTestDb(await pgsrv.createDatabase());
  srv = await startTestServer(db, {}, { timeZone: 'Asia/Shanghai' });
  admin = await userWithToken(srv.server, 'boss', 'admin');
  const t0 = Date.now();
  await db.query(`INSERT INTO queues (id, name, created_at, updated_at) SELECT 'q' || g, 'Queue ' || g, 0, 0 FROM generate_series(1, 20) g`);
  await db.query(`INSERT INTO queue_members (queue_id, agent_id) SELECT 'q' || (g % 20 + 1), 'a' || g FROM generate_series(1, 500) g`);
  await db.query(
    `INSERT INTO queue_events (call_id, queue_id, kind, agent_id, at, wait_ms, detail)
     SELECT 'c' || g, 'q' || (g % 20 + 1), k.kind,
       CASE WHEN k.kind IN ('answered', 'ended') AND g % 10 <> 0 THEN 'a' || (g % 500 + 1) END,
       $1::bigint + (g::bigint * $2::bigint / $3::bigint) + k.off * 1000,
       CASE WHEN k.kind IN ('answered', 'abandoned') THEN (g % 60) * 1000 END,
       CASE WHEN k.kind = 'entered' THEN jsonb_build_object('from', '+86138' || (g % 200000)) ELSE '{}'::jsonb END
     FROM generate_series(1, $3::int) g
     CROSS JOIN LATERAL (VALUES ('entered', 0), (CASE WHEN g % 10 = 0 THEN 'abandoned' ELSE 'answered' END, g % 60), ('ended', 300)) AS k(kind, off)
     WHERE NOT (g % 10 = 0 AND k.kind = 'ended')`,
    [START, END - START, CALLS],
  );
  await db.query(
    `INSERT INTO interactions (id, root_id, kind, agent_id, occurred_at, record, pushed_by, received_at)
     SELECT 'i' || g, 'i' || g, 'call', 'a' || (g % 500 + 1), $1::bigint + (g::bigint * $2::bigint / $3::bigint),
       jsonb_build_object('sipCallId', 'c' || g, 'talkMs', 200000 + g % 100000, 'holdMs', g % 30000, 'wrapUpMs', g % 60000, 'createdAt', 0), 'x', 0
     FROM generate_series(1, $3::int) g WHERE g % 10 <> 0`,
    [START, END - START, CALLS],
  );
  await db.query('ANALYZE');
  console.log(`BENCH setup: ${CALLS} calls over ${DAYS} days, 20 queues, 500 agents generated in ${Date.now() - t0} ms`);
}, 1_800_000);

afterAll(async () => {
  await srv?.close();
  await db?.close();
  await pgsrv?.stop();
});

describe('90-day report', () => {
  it(`per queue by day and per agent by day over ${CALLS} calls`, async () => {
    for (const by of ['queue', 'agent'] as const) {
      const samples: number[] = [];
      for (let i = 0; i < 3; i++) {
        const t = Date.now();
        const r = await call(srv.url, 'GET', `/supervisor/report?from=${START}&to=${END}&grain=day&by=${by}`, { token: admin });
        samples.push(Date.now() - t);
        if (r.status !== 200) throw new Error(`report failed: ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`);
      }
      report(summarise(`supervisor report ${by}/day, ${DAYS} days, ${CALLS} calls`, samples));
    }
  }, 1_800_000);
});
