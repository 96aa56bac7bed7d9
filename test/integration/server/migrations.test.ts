import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../server/db/db';
import { migrate } from '../../../server/db/migrate';
import { SERVER_MIGRATIONS } from '../../../server/db/migrations';
import { createPgDb } from '../../../server/db/pgDb';
import { createServerLogger } from '../../../server/log';
import { startPostgres, type TestPostgres } from '../../helpers/postgres';

let pgsrv: TestPostgres;
const open: Db[] = [];

async function freshDb(): Promise<Db> {
  const db = createPgDb({ connectionString: await pgsrv.createDatabase(), logger: createServerLogger('test', 'error') });
  open.push(db);
  return db;
}

beforeAll(async () => {
  pgsrv = await startPostgres();
});

afterAll(async () => {
  for (const db of open) await db.close();
  await pgsrv?.stop();
});

describe('server schema migrations on PostgreSQL', () => {
  it('applies every migration once, records the version, and is a no-op the second time', async () => {
    const db = await freshDb();
    expect(await migrate(db, SERVER_MIGRATIONS)).toEqual({ from: 0, to: SERVER_MIGRATIONS.length, applied: SERVER_MIGRATIONS.map((m) => m.version) });
    expect(await migrate(db, SERVER_MIGRATIONS)).toEqual({ from: SERVER_MIGRATIONS.length, to: SERVER_MIGRATIONS.length, applied: [] });
    const { rows } = await db.query<{ version: number; name: string }>('SELECT version, name FROM schema_migrations ORDER BY version');
    expect(rows.map((r) => r.version)).toEqual(SERVER_MIGRATIONS.map((m) => m.version));
  });

  it('migrates once when two instances start at the same time', async () => {
    const url = await pgsrv.createDatabase();
    const a = createPgDb({ connectionString: url, logger: createServerLogger('test', 'error') });
    const b = createPgDb({ connectionString: url, logger: createServerLogger('test', 'error') });
    open.push(a, b);
    const [ra, rb] = await Promise.all([migrate(a, SERVER_MIGRATIONS), migrate(b, SERVER_MIGRATIONS)]);
    expect([ra.applied.length, rb.applied.length].sort()).toEqual([0, SERVER_MIGRATIONS.length]);
  });

  it('rolls a failing migration back completely', async () => {
    const db = await freshDb();
    const broken = [...SERVER_MIGRATIONS, { version: SERVER_MIGRATIONS.length + 1, name: 'broken', sql: 'CREATE TABLE half_done (id int); SELECT no_such_function();' }];
    await expect(migrate(db, broken)).rejects.toThrow(/no_such_function/);
    const { rows } = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM information_schema.tables WHERE table_name IN ('schema_migrations', 'users', 'half_done')");
    expect(rows[0]!.n).toBe(0);
  });

  it('003 binds every existing sync client to its last user and adds the result fingerprint', async () => {
    const db = await freshDb();
    await migrate(db, SERVER_MIGRATIONS.slice(0, 2));
    await db.query("INSERT INTO sync_clients (client_id, high_water, last_user, updated_at) VALUES ('c-1', 3, 'alice', 1), ('c-2', 0, NULL, 1)");
    await migrate(db, SERVER_MIGRATIONS.slice(0, 3));
    const { rows } = await db.query<{ client_id: string; user_id: string | null }>('SELECT client_id, user_id FROM sync_clients ORDER BY client_id');
    expect(rows).toEqual([
      { client_id: 'c-1', user_id: 'alice' },
      { client_id: 'c-2', user_id: null },
    ]);
    const cols = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 'sync_results' AND column_name = 'fingerprint'");
    expect(cols.rows[0]!.n).toBe(1);
  });

  it('005 adds sip_accounts: one account per existing user, removed with the user', async () => {
    const db = await freshDb();
    await migrate(db, SERVER_MIGRATIONS.slice(0, 4));
    await db.query("INSERT INTO users (id, display_name, role, password_hash, created_at, updated_at) VALUES ('alice', 'Alice', 'agent', 'x', 1, 1)");
    await migrate(db, SERVER_MIGRATIONS.slice(0, 5));
    await db.query("INSERT INTO sip_accounts (user_id, uri, server, password, updated_at) VALUES ('alice', 'sip:1001@pbx.example', 'wss://pbx.example', 'pw', 1)");
    await expect(db.query("INSERT INTO sip_accounts (user_id, uri, server, password, updated_at) VALUES ('nobody', 'sip:1002@pbx.example', 'wss://pbx.example', 'pw', 1)")).rejects.toThrow(/foreign key/);
    await db.query("DELETE FROM users WHERE id = 'alice'");
    const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM sip_accounts');
    expect(rows[0]!.n).toBe(0);
  });

  it('refuses a database from a newer server and leaves it untouched', async () => {
    const db = await freshDb();
    await migrate(db, SERVER_MIGRATIONS);
    await db.query("INSERT INTO schema_migrations (version, name) VALUES (999, 'from the future')");
    await expect(migrate(db, SERVER_MIGRATIONS)).rejects.toThrow(/newer than this server/);
    const { rows } = await db.query<{ v: number }>('SELECT max(version) AS v FROM schema_migrations');
    expect(rows[0]!.v).toBe(999);
  });
});
