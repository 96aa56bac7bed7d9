import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type TestPostgres } from '../../helpers/postgres';
import { runAdminCli } from '../../helpers/serverProcess';

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
