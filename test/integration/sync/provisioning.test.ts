import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningPbx } from '../../../scripts/pbx.mjs';
import type { Core } from '../../../electron/core/createCore';
import { SIP_PASSWORD_SECRET } from '../../../electron/core/phone/phoneController';
import { QueueService } from '../../../server/acd/queueService';
import type { PhoneState } from '../../../shared/phone/call';
import { startTestPbx } from '../../helpers/phoneHarness';
import { runAdminCli } from '../../helpers/serverProcess';
import { invoke, RIG_PASSWORD, signIn, startSyncRig, type SyncRig } from '../../helpers/syncRig';
import { until } from '../../helpers/wait';

// Provisioning end to end (issue 14, item 2): an admin assigns SIP accounts on the central server
// (command line, or a CSV through the admin API) running on a real PostgreSQL; a fresh desktop core
// signs in and registers to a real Kamailio without anyone typing SIP details.

let rig: SyncRig;
let pbx: RunningPbx;

beforeAll(async () => {
  [rig, pbx] = await Promise.all([startSyncRig(), startTestPbx()]);
  await rig.db.query("INSERT INTO users (id, display_name, role, team, password_hash, created_at, updated_at) SELECT 'carol', 'carol', role, team, password_hash, created_at, updated_at FROM users WHERE id = 'bob'");
  await new QueueService(rig.db).create({ id: 'sales', name: 'Sales', numbers: ['600'] });
  await new QueueService(rig.db).create({ id: 'support', name: 'Support', numbers: ['601'] });
}, 120_000);

afterEach(async () => {
  await rig.closeDesktops();
});

afterAll(async () => {
  await rig?.stop();
  await pbx?.stop();
});

const registered = (core: Core, aor: string) =>
  until(() => {
    const r: PhoneState['registration'] = core.phone.state().registration;
    return r.state === 'registered' && r.aor === aor;
  }, `registered as ${aor}: ${JSON.stringify(core.phone.state().registration)}`, 30_000);

/** Every byte SQLite wrote for this desktop (database, WAL, shared memory). */
function sqliteBytes(dataDir: string): string {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(db|sqlite)(-wal|-shm)?$/.test(e.name)) files.push(p);
    }
  };
  walk(dataDir);
  expect(files.length).toBeGreaterThan(0);
  return files.map((f) => fs.readFileSync(f).toString('latin1')).join('\n');
}

async function http(method: string, url: string, token: string | null, body?: unknown): Promise<{ status: number; json: unknown }> {
  const res = await fetch(url, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': typeof body === 'string' ? 'text/csv' : 'application/json' } : {}) },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as unknown) : null };
}

async function login(user: string): Promise<string> {
  const r = await http('POST', `${rig.base}/auth/login`, null, { username: user, password: RIG_PASSWORD });
  return (r.json as { accessToken: string }).accessToken;
}

describe('provisioning from the central server', () => {
  it('admin assigns an account on the command line; a fresh desktop signs in and registers without SIP details; the password is only in the keychain; sign-out removes it', async () => {
    const cli = runAdminCli(['assign-sip', '--id', 'alice', '--uri', 'sip:1001@calldesk.test', '--server', pbx.wsUrl, '--sip-password', 'pw1001', '--name', 'Alice Agent'], { DATABASE_URL: rig.dbUrl });
    expect(cli.stderr).toBe('');
    expect(cli.status).toBe(0);
    expect(JSON.parse(cli.stdout)).toMatchObject({ userId: 'alice', uri: 'sip:1001@calldesk.test', server: pbx.wsUrl, displayName: 'Alice Agent' });
    expect(cli.stdout).not.toContain('pw1001');

    const d = await rig.desktop();
    expect(d.core.phone.state().registration.state).toBe('unconfigured');
    await signIn(rig, d.core, 'alice');
    await registered(d.core, 'sip:1001@calldesk.test');

    const entry = (k: string) => d.core.settings.snapshot().entries.find((e) => e.key === k)!;
    expect(entry('sip.uri')).toMatchObject({ value: 'sip:1001@calldesk.test', source: 'server', locked: true });
    expect(entry('sip.server')).toMatchObject({ value: pbx.wsUrl, source: 'server', locked: true });
    expect(entry('sip.displayName')).toMatchObject({ value: 'Alice Agent', source: 'server' });
    expect(await d.secrets.get(SIP_PASSWORD_SECRET)).toBe('pw1001');
    await expect(invoke(d.core, 'settings:set', { key: 'sip.uri', value: 'sip:1009@calldesk.test' })).rejects.toMatchObject({ code: 'SETTING_LOCKED' });
    expect(sqliteBytes(d.dataDir)).not.toContain('pw1001');

    // The account survives a restart of the desktop (offline-capable), registering at once.
    const dataDir = d.dataDir;
    await d.close();
    const again = await rig.desktop({ dataDir, secrets: d.secrets });
    await registered(again.core, 'sip:1001@calldesk.test');

    await invoke(again.core, 'sync:sign-out', undefined);
    await until(() => again.core.phone.state().registration.state === 'unconfigured', 'phone unconfigured after sign-out', 30_000);
    expect(await again.secrets.get(SIP_PASSWORD_SECRET)).toBeNull();
    expect(again.core.settings.get('sip.uri')).toBe('');
  });

  it('bulk CSV through the admin API: team and queues with the account, bad rows refused with their line and reason, the rest applied', async () => {
    const root = await login('root');
    const csv = [
      'user,sip_uri,sip_server,sip_password,display_name,team,queues',
      `bob,sip:1002@calldesk.test,${pbx.wsUrl},pw1002,Bob Agent,blue,sales:8;support`,
      `nobody,sip:1003@calldesk.test,${pbx.wsUrl},pw1003,,,`,
      `carol,not-a-sip-address,${pbx.wsUrl},pw1004,,,`,
      `carol,sip:1004@calldesk.test,${pbx.wsUrl},pw1004,,,billing`,
    ].join('\n');
    const res = await http('POST', `${rig.base}/admin/sip-accounts/import`, root, csv);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      assigned: 1,
      rejected: [
        { line: 3, user: 'nobody', reason: expect.stringContaining('No user "nobody"') },
        { line: 4, user: 'carol', reason: expect.stringContaining('SIP URI') },
        { line: 5, user: 'carol', reason: expect.stringContaining('No queue "billing"') },
      ],
    });
    // A refused row changed nothing (carol has no account and no queue).
    expect((await rig.db.query("SELECT count(*)::int AS n FROM sip_accounts WHERE user_id = 'carol'")).rows[0]).toEqual({ n: 0 });

    // The admin list never shows a password; an agent may not read it at all.
    const list = await http('GET', `${rig.base}/admin/sip-accounts`, root);
    expect(JSON.stringify(list.json)).not.toContain('pw1002');
    expect((await http('GET', `${rig.base}/admin/sip-accounts`, await login('bob'))).status).toBe(403);
    // A file without the required columns is refused whole.
    const bad = await http('POST', `${rig.base}/admin/sip-accounts/import`, root, 'user,uri\nbob,sip:1002@calldesk.test');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.json)).toContain('missing column(s) sip_uri, sip_server, sip_password');

    const d = await rig.desktop();
    await signIn(rig, d.core, 'bob');
    await registered(d.core, 'sip:1002@calldesk.test');
    expect(d.core.sync.provisioned()).toEqual({
      sip: { 'sip.uri': 'sip:1002@calldesk.test', 'sip.server': pbx.wsUrl, 'sip.authUser': '', 'sip.displayName': 'Bob Agent' },
      team: 'blue',
      queues: [
        { id: 'sales', name: 'Sales', skill: 8 },
        { id: 'support', name: 'Support', skill: 5 },
      ],
    });
    const queues = await new QueueService(rig.db).list();
    expect(queues.find((q) => q.id === 'sales')!.members).toEqual([{ agentId: 'bob', skill: 8 }]);
    // The router rings bob at his provisioned SIP user.
    expect((await new QueueService(rig.db).extensions()).get('bob')).toBe('1002');
  });
});
