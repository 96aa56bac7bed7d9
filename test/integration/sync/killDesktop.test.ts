import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenSigner } from '../../../server/auth/tokens';
import type { Db } from '../../../server/db/db';
import { UserService } from '../../../server/services/users';
import { startPostgres, type TestPostgres } from '../../helpers/postgres';
import { openTestDb, startTestServer, TEST_PASSWORD_COST, TEST_SECRET, type TestServer } from '../../helpers/serverHarness';

// Acceptance: kill -9 the desktop host at random points while it pushes, 200 rounds
// (CALLDESK_KILL_ROUNDS to change): the server holds every acknowledged mutation exactly once and
// the outbox resumes correctly.
const ROUNDS = Number(process.env.CALLDESK_KILL_ROUNDS ?? 200);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const HOST = path.join(root, 'node_modules/.cache/calldesk-test-desktop/host.mjs');

let pgsrv: TestPostgres;
let db: Db;
let srv: TestServer;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'calldesk-kill-'));

beforeAll(async () => {
  await esbuild.build({
    entryPoints: [path.join(root, 'test/helpers/desktopSyncHost.ts')],
    outfile: HOST,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
  pgsrv = await startPostgres();
  db = await openTestDb(await pgsrv.createDatabase());
  await new UserService(db, TEST_PASSWORD_COST).create({ id: 'alice', password: 'password-123', role: 'agent' });
  srv = await startTestServer(db);
});

afterAll(async () => {
  await srv?.close();
  await db?.close();
  await pgsrv?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

function runHost(env: Record<string, string>, killAfterMs: number | null): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  const child = spawn(process.execPath, [HOST], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d) => (err += String(d)));
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => {
      if (killAfterMs !== null && String(d).includes('RUNNING')) setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    });
    child.once('exit', (code, signal) => (code !== 0 && code !== null ? reject(new Error(`host exited ${code}: ${err}`)) : resolve({ code, signal })));
  });
}

describe('desktop host killed while pushing', () => {
  it(`kill -9 at random points, ${ROUNDS} rounds: every acknowledged mutation is on the server exactly once and the outbox resumes`, async () => {
    const file = path.join(dir, 'desktop.sqlite');
    const env = { DB_FILE: file, SERVER_URL: srv.url, ACCESS_TOKEN: new TokenSigner(TEST_SECRET, 3600).sign({ id: 'alice', role: 'agent', team: null }) };
    let seed = 12345;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    let killed = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const res = await runHost(env, 5 + Math.floor(rand() * 120));
      if (res.signal === 'SIGKILL') killed++;
    }
    expect(killed).toBe(ROUNDS);

    // Between rounds: what the outbox holds and what the server acknowledged must agree.
    const local = new Database(file, { readonly: true });
    const clientId = (local.prepare("SELECT value FROM meta WHERE key = 'sync.clientId'").get() as { value: string }).value;
    const acked = (local.prepare('SELECT max(seq) AS m FROM outbox WHERE sent_at IS NOT NULL').get() as { m: number | null }).m ?? 0;
    local.close();
    const serverHw = Number((await db.query<{ h: number }>('SELECT high_water AS h FROM sync_clients WHERE client_id = $1', [clientId])).rows[0]?.h ?? 0);
    // The server may be ahead (answer lost to the kill), never behind what the desktop marked sent.
    expect(serverHw).toBeGreaterThanOrEqual(acked);

    await runHost({ ...env, DRAIN: '1' }, null);
    const after = new Database(file, { readonly: true });
    const entries = after.prepare('SELECT seq, entity_id, sent_at FROM outbox WHERE client_id = ? ORDER BY seq').all(clientId) as Array<{ seq: number; entity_id: string; sent_at: number | null }>;
    after.close();
    expect(entries.length).toBeGreaterThan(ROUNDS);
    expect(entries.every((e, i) => e.seq === i + 1 && e.sent_at !== null)).toBe(true);
    const ids = entries.map((e) => e.entity_id);
    const q = async (sql: string, params: unknown[]) => Number((await db.query<{ n: number }>(sql, params)).rows[0]!.n);
    expect(await q('SELECT high_water AS n FROM sync_clients WHERE client_id = $1', [clientId])).toBe(entries.length);
    expect(await q('SELECT count(*) AS n FROM sync_results WHERE client_id = $1', [clientId])).toBe(entries.length);
    expect(await q("SELECT count(*) AS n FROM sync_results WHERE client_id = $1 AND result->>'status' = 'applied' AND result->>'duplicate' IS NULL", [clientId])).toBe(entries.length);
    expect(await q('SELECT count(*) AS n FROM interactions WHERE id = ANY($1::text[])', [ids])).toBe(entries.length);
    console.log(`BENCH kill -9 desktop: ${ROUNDS} rounds, ${entries.length} outbox entries, all on the server exactly once`);
  }, 600_000);
});
