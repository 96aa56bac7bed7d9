import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DATA_DIR_LOCK_FILE } from '../../../server/db/dataDirLock';
import { call, TEST_SECRET } from '../../helpers/serverHarness';
import { runAdminCli, startServerProcess, type ServerProcess } from '../../helpers/serverProcess';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'calldesk-admin-pglite-'));
const started: ServerProcess[] = [];
/** A fresh PGlite directory takes long to initialise on a loaded machine. */
const START_MS = 180_000;

afterAll(async () => {
  for (const s of started) await s.kill();
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function stopGracefully(s: ServerProcess): Promise<void> {
  s.child.kill('SIGTERM');
  await s.exited;
}

describe('npm run server:admin on an embedded (PGlite) data directory', () => {
  it('sends commands to the running server, whose database then has the writes (also after a restart)', async () => {
    const dir = path.join(tmp, 'running');
    const env = { CALLDESK_SERVER_DATA_DIR: dir, CALLDESK_SERVER_SECRET: TEST_SECRET };
    const srv = await startServerProcess(env, START_MS);
    started.push(srv);
    const created = runAdminCli(['create-user', '--id', 'amy', '--password', 'password-123', '--team', 'red'], env);
    expect(created.status, created.stderr).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({ id: 'amy', role: 'agent', team: 'red' });
    expect(created.stderr).toContain(`process ${srv.child.pid}`);
    const set = runAdminCli(['set-config', '--key', 'scope.tickets', '--value', '"own"'], env);
    expect(set.status, set.stderr).toBe(0);
    // The running server sees both writes at once.
    const login = await call(srv.url, 'POST', '/auth/login', { body: { username: 'amy', password: 'password-123' } });
    expect(login.status).toBe(200);
    const config = await call(srv.url, 'GET', '/config', { token: login.body.accessToken as string });
    expect(config.body).toMatchObject({ 'scope.tickets': 'own' });
    // A refusal by the server comes back as the command's error.
    const dup = runAdminCli(['create-user', '--id', 'amy', '--password', 'password-123'], env);
    expect(dup.status).toBe(1);
    expect(dup.stderr).toContain('already exists');

    // After the server stops, the command works on the directory itself and finds what it wrote.
    await stopGracefully(srv);
    expect(fs.existsSync(path.join(dir, DATA_DIR_LOCK_FILE))).toBe(false);
    const listed = runAdminCli(['list-users'], env);
    expect(listed.status, listed.stderr).toBe(0);
    expect((JSON.parse(listed.stdout) as Array<{ id: string }>).map((u) => u.id)).toEqual(['amy']);
    const again = await startServerProcess(env, START_MS);
    started.push(again);
    expect((await call(again.url, 'POST', '/auth/login', { body: { username: 'amy', password: 'password-123' } })).status).toBe(200);

    // A second server on the same directory refuses to start instead of losing writes.
    const second = await startServerProcess({ ...env, CALLDESK_SERVER_PORT: '0' }, START_MS).then(
      () => null,
      (err: Error) => err.message,
    );
    expect(second).toMatch(new RegExp(`in use by a CallDesk server \\(process ${again.child.pid}\\)`));
    await stopGracefully(again);
  }, 600_000);

  it('refuses with a clear message when another live process holds the directory, and takes over a lock left by a dead one', async () => {
    const dir = path.join(tmp, 'held');
    fs.mkdirSync(dir, { recursive: true });
    const env = { CALLDESK_SERVER_DATA_DIR: dir };
    // Another admin command in the middle of its work (a live process that is not a server).
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    try {
      fs.writeFileSync(path.join(dir, DATA_DIR_LOCK_FILE), JSON.stringify({ pid: other.pid, holder: 'admin', since: Date.now() }));
      const refused = runAdminCli(['create-user', '--id', 'ben', '--password', 'password-123'], env);
      expect(refused.status).toBe(1);
      expect(refused.stderr).toContain(`The data directory ${dir} is in use by another admin command (process ${other.pid})`);
      expect(refused.stdout).toBe('');
    } finally {
      other.kill('SIGKILL');
      await new Promise((r) => other.once('exit', r));
    }
    // Its process is gone now: the lock is stale and the command goes ahead.
    const created = runAdminCli(['create-user', '--id', 'ben', '--password', 'password-123'], env);
    expect(created.status, created.stderr).toBe(0);
    expect(fs.existsSync(path.join(dir, DATA_DIR_LOCK_FILE))).toBe(false);
    expect((JSON.parse(runAdminCli(['list-users'], env).stdout) as Array<{ id: string }>).map((u) => u.id)).toEqual(['ben']);
  }, 600_000);
});
