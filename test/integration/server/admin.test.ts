import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type TestPostgres } from '../../helpers/postgres';
import iconv from 'iconv-lite';
import { call, TEST_SECRET } from '../../helpers/serverHarness';
import { runAdminCli, startServerProcess } from '../../helpers/serverProcess';

let pgsrv: TestPostgres;
let env: Record<string, string>;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'calldesk-admin-'));

beforeAll(async () => {
  pgsrv = await startPostgres();
  env = { DATABASE_URL: await pgsrv.createDatabase() };
});

afterAll(async () => {
  await pgsrv?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('npm run server:admin', () => {
  it('creates users, changes roles and lists them', () => {
    const created = runAdminCli(['create-user', '--id', 'ops', '--password', 'password-123', '--role', 'admin', '--name', 'Operations'], env);
    expect(created.status).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({ id: 'ops', role: 'admin', displayName: 'Operations' });
    expect(runAdminCli(['create-user', '--id', 'amy', '--password', 'password-123', '--team', 'red'], env).status).toBe(0);
    const promoted = runAdminCli(['update-user', '--id', 'amy', '--role', 'supervisor'], env);
    expect(JSON.parse(promoted.stdout)).toMatchObject({ id: 'amy', role: 'supervisor', team: 'red', version: 2 });
    const listed = JSON.parse(runAdminCli(['list-users'], env).stdout) as Array<{ id: string }>;
    expect(listed.map((u) => u.id)).toEqual(['amy', 'ops']);
  });

  it('imports customers from a CSV file and reports rejected rows', () => {
    const file = path.join(tmp, 'customers.csv');
    fs.writeFileSync(file, 'code,name,mobile,email,status\nK-1,Zhang San,13800138000,zs@example.com,contracted\nK-2,,13900139000,,potential\nK-3,Li Si,,,no-such-status\n');
    const res = runAdminCli(['import-customers', '--file', file], env);
    expect(res.status).toBe(0);
    const report = JSON.parse(res.stdout) as { total: number; created: number; rejected: Array<{ row: number }> };
    expect(report).toMatchObject({ total: 3, created: 1 });
    expect(report.rejected.map((r) => r.row)).toEqual([3, 4]);
  });

  it('imports a GB18030 (Chinese Excel) file with Chinese headers like the desktop, from the command line and over HTTP', async () => {
    const text = '编号,姓名,手机\nGB-1,张伟,13800138011\nGB-2,李娜,13800138012\n';
    const file = path.join(tmp, 'customers-gbk.csv');
    fs.writeFileSync(file, iconv.encode(text, 'gb18030'));
    const res = runAdminCli(['import-customers', '--file', file], env);
    expect(res.status).toBe(0);
    expect(JSON.parse(res.stdout)).toMatchObject({ total: 2, created: 2, rejected: [] });

    const srv = await startServerProcess({ ...env, CALLDESK_SERVER_SECRET: TEST_SECRET });
    try {
      const login = await call(srv.url, 'POST', '/auth/login', { body: { username: 'ops', password: 'password-123' } });
      const bytes = iconv.encode('编号,姓名,手机\nGB-3,王芳,13800138013\n', 'gb18030');
      const http = await fetch(srv.url + '/admin/customers/import', { method: 'POST', headers: { 'content-type': 'text/csv', authorization: `Bearer ${login.body.accessToken}` }, body: new Uint8Array(bytes) });
      expect(await http.json()).toMatchObject({ total: 1, created: 1 });
      const found = await call(srv.url, 'GET', '/customers?q=%E7%8E%8B%E8%8A%B3', { token: login.body.accessToken as string });
      expect(JSON.stringify(found.body)).toContain('王芳');
    } finally {
      await srv.kill();
    }
  });

  it('sets validated configuration and refuses bad input with a clear message', () => {
    expect(runAdminCli(['set-config', '--key', 'scope.tickets', '--value', '"own"'], env).status).toBe(0);
    const bad = runAdminCli(['set-config', '--key', 'scope.tickets', '--value', '"everyone"'], env);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('Invalid value for scope.tickets');
    const weak = runAdminCli(['create-user', '--id', 'x', '--password', 'short'], env);
    expect(weak.status).toBe(1);
    const unknown = runAdminCli(['frobnicate'], env);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('Usage');
  });
});
