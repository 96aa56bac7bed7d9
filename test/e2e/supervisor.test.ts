import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../server/db/db';
import { UserService } from '../../server/services/users';
import { bucketStart } from '../../shared/kpi/buckets';
import { formatKpi } from '../../shared/kpi/definitions';
import { launchChromium } from '../helpers/chromium';
import { startHostProcess, type HostProcess } from '../helpers/hostProcess';
import { startPostgres, type TestPostgres } from '../helpers/postgres';
import { openTestDb, TEST_PASSWORD_COST, TEST_SECRET } from '../helpers/serverHarness';
import { startServerProcess, type ServerProcess } from '../helpers/serverProcess';
import { freePort } from '../helpers/wait';

// The supervisor page in Chromium against the central server process on PostgreSQL: visible to a
// supervisor only, figures equal to the test's own computation from its script, kept current by
// pushes (no reload), screenshots in both languages at both sizes (CALLDESK_SHOTS_DIR).

const SHOTS = process.env.CALLDESK_SHOTS_DIR;
const S = 1000;
let browser: Browser;
let pgsrv: TestPostgres;
let db: Db;
let port: number;
let server: ServerProcess;
let serverEnv: Record<string, string>;
const hosts: HostProcess[] = [];
/** A zone whose day started at least 30 minutes ago, so the script's calls are "today". */
const TZ = ['Asia/Shanghai', 'UTC', 'America/New_York'].find((tz) => Date.now() - bucketStart(Date.now(), 'day', tz) > 30 * 60_000)!;
const base = Date.now() - 20 * 60 * S;

const SCRIPT = [
  { id: 'e1', wait: 4, outcome: 'answered', agent: 'alice', talk: 120, hold: 0, wrap: 15 },
  { id: 'e2', wait: 19, outcome: 'answered', agent: 'bob', talk: 200, hold: 30, wrap: 40 },
  { id: 'e3', wait: 35, outcome: 'answered', agent: 'alice', talk: 90, hold: 10, wrap: 20 },
  { id: 'e4', wait: 3, outcome: 'abandoned' },
  { id: 'e5', wait: 12, outcome: 'abandoned' },
  { id: 'e6', wait: 45, outcome: 'abandoned' },
] as const;

async function ev(callId: string, kind: string, at: number, agentId: string | null, waitMs: number | null): Promise<void> {
  await db.query('INSERT INTO queue_events (call_id, queue_id, kind, agent_id, at, wait_ms, detail) VALUES ($1, $2, $3, $4, $5, $6, $7)', [callId, 'sales', kind, agentId, at, waitMs, JSON.stringify({ from: `+86${callId}` })]);
}

beforeAll(async () => {
  browser = await launchChromium();
  pgsrv = await startPostgres();
  const dbUrl = await pgsrv.createDatabase();
  db = await openTestDb(dbUrl);
  port = await freePort();
  serverEnv = { DATABASE_URL: dbUrl, CALLDESK_SERVER_SECRET: TEST_SECRET, CALLDESK_SERVER_PORT: String(port), CALLDESK_TIME_ZONE: TZ };
  server = await startServerProcess(serverEnv);
  const users = new UserService(db, TEST_PASSWORD_COST);
  await users.create({ id: 'sue', displayName: 'Sue Zhang', password: 'password-123', role: 'supervisor', team: 'red' });
  await users.create({ id: 'boss', displayName: 'Boss', password: 'password-123', role: 'admin', team: null });
  for (const [id, name] of [['alice', 'Alice Wang'], ['bob', 'Bob Li']]) await users.create({ id: id!, displayName: name!, password: 'password-123', role: 'agent', team: 'red' });
  const now = Date.now();
  await db.query('INSERT INTO queues (id, name, sl_target_sec, short_abandon_sec, created_at, updated_at) VALUES ($1, $2, 20, 5, $3, $3)', ['sales', 'Sales 销售', now]);
  await db.query("INSERT INTO queue_members (queue_id, agent_id) VALUES ('sales', 'alice'), ('sales', 'bob')");
  for (const [i, c] of SCRIPT.entries()) {
    const at = base + i * 60 * S;
    await ev(c.id, 'entered', at, null, null);
    if (c.outcome === 'answered') {
      await ev(c.id, 'answered', at + c.wait * S, c.agent, c.wait * S);
      const record = { sipCallId: c.id, talkMs: c.talk * S, holdMs: c.hold * S, wrapUpMs: c.wrap * S, createdAt: at + 600 * S };
      await db.query("INSERT INTO interactions (id, root_id, kind, agent_id, occurred_at, record, pushed_by, received_at) VALUES ($1, $1, 'call', $2, $3, $4, $2, $3)", [`i${c.id}`, c.agent, at, JSON.stringify(record)]);
    } else await ev(c.id, 'abandoned', at + c.wait * S, null, c.wait * S);
  }
  for (const [agent, state, reason, ago] of [['alice', 'ready', null, 600], ['bob', 'not-ready', 'lunch', 1500]] as const) {
    await db.query('INSERT INTO agent_state_events (id, agent_id, to_state, at, record, pushed_by, received_at) VALUES ($1, $2, $3, $4, $5, $2, $4)', [`${agent}-s`, agent, state, now - ago * S, JSON.stringify({ toState: state, toReason: reason })]);
  }
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all(hosts.map((h) => h.stop()));
  await server?.kill();
  await db?.close();
  await pgsrv?.stop();
});

async function signedIn(username: string, width: number, height: number): Promise<Page> {
  const host = await startHostProcess({ env: { CALLDESK_SERVER_RETRYMAXSECONDS: '1' } });
  hosts.push(host);
  const page = await (await browser.newContext({ locale: 'en-US', viewport: { width, height } })).newPage();
  await page.goto(host.url);
  await page.getByTestId('status-core').waitFor();
  await page.getByTestId('nav-settings').click();
  const account = page.getByTestId('server-account');
  await account.getByTestId('server-url').fill(`http://127.0.0.1:${port}`);
  await account.getByTestId('server-username').fill(username);
  await account.getByTestId('server-password').fill('password-123');
  await account.getByTestId('server-sign-in').click();
  await expect.poll(() => account.getAttribute('data-user'), { timeout: 20_000 }).toBe(username);
  await expect.poll(() => page.getByTestId('status-sync').locator('[data-connection]').getAttribute('data-connection'), { timeout: 20_000 }).toBe('online');
  return page;
}

/** The test's own figures from its script (T = 20 s, short abandon 5 s). */
function expected() {
  const answered = SCRIPT.filter((c) => c.outcome === 'answered');
  const abandoned = SCRIPT.filter((c) => c.outcome === 'abandoned');
  const short = abandoned.filter((c) => c.wait < 5).length;
  return {
    offered: SCRIPT.length,
    answered: answered.length,
    abandoned: abandoned.length - short,
    shortAbandoned: short,
    serviceLevel: answered.filter((c) => c.wait <= 20).length / (answered.length + abandoned.filter((c) => c.wait > 20).length),
    asaMs: (answered.reduce((s, c) => s + c.wait, 0) * S) / answered.length,
    ahtMs: (answered.reduce((s, c) => s + c.talk + c.hold + c.wrap, 0) * S) / answered.length,
    abandonRate: (abandoned.length - short) / (SCRIPT.length - short),
  };
}

describe('supervisor page (server process + PostgreSQL + Chromium)', () => {
  it('an agent has no supervisor page', async () => {
    const page = await signedIn('alice', 1366, 768);
    await expect.poll(() => page.getByTestId('nav-tickets').count()).toBe(1);
    expect(await page.getByTestId('nav-supervisor').count()).toBe(0);
  });

  it('a supervisor sees the queue board equal to the script, kept current by pushes; screenshots en-US/zh-CN at 1366x768 and 1920x1080', async () => {
    const page = await signedIn('sue', 1366, 768);
    await page.getByTestId('nav-supervisor').click();
    const cell = (k: string) => page.getByTestId(`q-sales-${k}`);
    const exp = expected();
    await expect.poll(() => cell('offered').innerText(), { timeout: 20_000 }).toBe(String(exp.offered));
    for (const k of ['answered', 'abandoned', 'shortAbandoned'] as const) expect(await cell(k).innerText()).toBe(String(exp[k]));
    for (const k of ['serviceLevel', 'asaMs', 'ahtMs', 'abandonRate'] as const) expect(await cell(k).innerText()).toBe(formatKpi(k, exp[k]));
    expect(await cell('waitingNow').innerText()).toBe('0');
    expect(await page.getByRole('row', { name: /Bob Li/ }).innerText()).toMatch(/Not ready[\s\S]*Lunch/); // the reason in words, not its code

    // A caller enters the queue: the board changes without a reload (pushed).
    const t0 = Date.now();
    await ev('e7', 'entered', Date.now(), null, null);
    await expect.poll(() => cell('waitingNow').innerText(), { timeout: 10_000, interval: 20 }).toBe('1');
    console.log(`SUPERVISOR push: queue event written -> waiting count painted in ${Date.now() - t0} ms (includes the 250 ms queue-event check)`);
    await expect.poll(() => cell('offered').innerText()).toBe(String(exp.offered + 1));

    if (SHOTS) {
      for (const lang of ['en-US', 'zh-CN'] as const) {
        if (lang === 'zh-CN') {
          await page.getByTestId('nav-settings').click();
          await page.getByTestId('setting-ui.language').click();
          await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '简体中文' }).first().click();
          await page.getByTestId('nav-supervisor').click();
          await expect.poll(() => page.getByTestId('supervisor-page').innerText()).toContain('班长工作台');
        }
        for (const [w, h] of [[1366, 768], [1920, 1080]] as const) {
          await page.setViewportSize({ width: w, height: h });
          await page.getByRole('tab').first().click();
          await page.waitForTimeout(300);
          await page.screenshot({ path: `${SHOTS}/supervisor-live-${lang}-${w}x${h}.png` });
          await page.getByRole('tab').nth(1).click();
          await page.getByTestId('report-run').click();
          await page.getByTestId('report-table').waitFor();
          await page.waitForTimeout(300);
          await page.screenshot({ path: `${SHOTS}/supervisor-report-${lang}-${w}x${h}.png` });
          await page.getByRole('tab').nth(2).click();
          await page.getByTestId('staffing-result').waitFor();
          await page.screenshot({ path: `${SHOTS}/supervisor-staffing-${lang}-${w}x${h}.png` });
        }
      }
    }
  });
});

describe('wallboard (server-served page, read-only token)', () => {
  for (const [lang, w, h] of [['zh-CN', 1920, 1080], ['en-US', 1366, 768]] as const) {
    it(`${lang} ${w}x${h}: large numbers equal to the script; reconnects by itself after a server restart`, async () => {
      const login = await fetch(`http://127.0.0.1:${port}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'boss', password: 'password-123' }) });
      const { accessToken } = (await login.json()) as { accessToken: string };
      const made = await fetch(`http://127.0.0.1:${port}/supervisor/wallboards`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
        body: JSON.stringify({ title: lang === 'zh-CN' ? '三楼呼叫中心' : 'Floor 3', queues: ['sales'], kpis: ['waitingNow', 'longestWaitNowMs', 'serviceLevel', 'asaMs', 'offered', 'answered', 'abandoned', 'abandonRate'], lang }),
      });
      const { path } = (await made.json()) as { path: string };
      const page = await (await browser.newContext({ viewport: { width: w, height: h } })).newPage();
      await page.goto(`http://127.0.0.1:${port}${path}`);
      const value = (k: string) => page.locator(`[data-kpi="${k}"] .value`).innerText();
      const exp = expected();
      await expect.poll(() => value('serviceLevel'), { timeout: 15_000 }).toBe(formatKpi('serviceLevel', exp.serviceLevel));
      expect(await value('asaMs')).toBe(formatKpi('asaMs', exp.asaMs));
      expect(Number(await value('answered'))).toBe(exp.answered);
      if (SHOTS) await page.screenshot({ path: `${SHOTS}/wallboard-${lang}-${w}x${h}.png` });
      await server.kill();
      await expect.poll(() => page.locator('#status').innerText(), { timeout: 15_000 }).not.toBe('');
      server = await startServerProcess(serverEnv);
      await expect.poll(() => page.locator('#status').innerText(), { timeout: 60_000 }).toBe('');
      expect(await value('serviceLevel')).toBe(formatKpi('serviceLevel', exp.serviceLevel));
      await page.context().close();
    });
  }
});
