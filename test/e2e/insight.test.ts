import iconv from 'iconv-lite';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenSigner } from '../../server/auth/tokens';
import type { Db } from '../../server/db/db';
import { UserService } from '../../server/services/users';
import { openAgent, type Agent } from '../helpers/agentPage';
import { startPostgres, type TestPostgres } from '../helpers/postgres';
import { openTestDb, TEST_PASSWORD_COST, TEST_SECRET } from '../helpers/serverHarness';
import { startServerProcess, type ServerProcess } from '../helpers/serverProcess';
import type { SipPeer } from '../helpers/sipPeer/driver';
import { startTelephonyRig, type TelephonyRig } from '../helpers/telephonyRig';

// Issue 13 acceptance: 100,000 orders for 10,000 customers imported on the central server by CSV
// (half UTF-8 with English headers, half GBK with Chinese headers), segments recomputed on the
// server (PostgreSQL), the agent's desktop synced, then a ringing call pops the customer with RFM
// segment, ABC class, CLV and last purchase, read from the desktop's own store.

const SHOTS = process.env.CALLDESK_SHOTS_DIR;
const CUSTOMERS = 10_000;
const ORDERS = 100_000;
const DAY = 86_400_000;

let rig: TelephonyRig;
let pgsrv: TestPostgres;
let db: Db;
let server: ServerProcess;
let adminToken: string;
let agent: Agent;
const peers: SipPeer[] = [];

const phoneOf = (i: number) => `+86138${String(10_000_000 + i).slice(-8)}`;

async function post(path: string, body: Uint8Array<ArrayBuffer> | string, contentType: string): Promise<Record<string, unknown>> {
  const res = await fetch(server.url + path, { method: 'POST', headers: { authorization: `Bearer ${adminToken}`, 'content-type': contentType }, body });
  const json = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(`${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

beforeAll(async () => {
  rig = await startTelephonyRig();
  pgsrv = await startPostgres();
  const url = await pgsrv.createDatabase();
  db = await openTestDb(url);
  server = await startServerProcess({ DATABASE_URL: url, CALLDESK_SERVER_SECRET: TEST_SECRET });
  const users = new UserService(db, TEST_PASSWORD_COST);
  await users.create({ id: 'alice', displayName: 'Alice Wang', password: 'password-123', role: 'agent', team: 'red' });
  await users.create({ id: 'root', displayName: 'Root', password: 'password-123', role: 'admin', team: null });
  adminToken = new TokenSigner(TEST_SECRET, 3600).sign({ id: 'root', role: 'admin', team: null });
}, 300_000);

afterAll(async () => {
  for (const p of peers) await p.close();
  await agent?.close();
  await server?.kill();
  await db?.close();
  await pgsrv?.stop();
  await rig?.close();
});

async function signIn(page: Page): Promise<void> {
  await page.getByTestId('nav-settings').click();
  const account = page.getByTestId('server-account');
  await account.getByTestId('server-url').fill(server.url);
  await account.getByTestId('server-username').fill('alice');
  await account.getByTestId('server-password').fill('password-123');
  await account.getByTestId('server-sign-in').click();
  await expect.poll(() => account.getAttribute('data-user'), { timeout: 30_000 }).toBe('alice');
}

describe('customer insight end to end (PostgreSQL server, Kamailio, Chromium)', () => {
  it('imports 100,000 orders (UTF-8 and GBK), recomputes segments, and a ringing call pops the customer with segment, ABC, CLV and last purchase', async () => {
    const rows = ['code,name,mobile,ownerId'];
    for (let i = 1; i <= CUSTOMERS; i++) rows.push(`K${String(i).padStart(5, '0')},${i === 42 ? '王芳' : `Customer ${i}`},${phoneOf(i)},alice`);
    const imported = await post('/admin/customers/import', JSON.stringify({ csv: rows.join('\n') }), 'application/json');
    expect(imported).toMatchObject({ created: CUSTOMERS, rejected: [] });

    // Customer 42 buys often and recently; the others a little, at random times over five years.
    const now = Date.now();
    const order = (n: number): [string, string, string, string] => {
      const customer = n % 50 === 0 ? 42 : 1 + ((n * 7919) % CUSTOMERS);
      const daysAgo = customer === 42 ? (n % 300) + 2 : (n * 104_729) % 1800;
      const at = new Date(now - daysAgo * DAY).toISOString().slice(0, 10);
      return [`O${n}`, `K${String(customer).padStart(5, '0')}`, at, customer === 42 ? '880.00' : String(10 + (n % 500))];
    };
    const half = ORDERS / 2;
    const utf8 = ['order id,customer code,date,amount,category'];
    for (let n = 1; n <= half; n++) utf8.push(`${order(n).join(',')},broadband`);
    const gbk = ['订单号,客户编号,下单时间,金额,类别'];
    for (let n = half + 1; n <= ORDERS; n++) gbk.push(`${order(n).join(',')},宽带`);
    const a = await post('/admin/orders/import?source=shop', new Uint8Array(Buffer.from(utf8.join('\n'), 'utf8')), 'text/csv');
    const b = await post('/admin/orders/import?source=shop', new Uint8Array(iconv.encode(gbk.join('\n'), 'gbk')), 'text/csv');
    expect(a).toMatchObject({ total: half, created: half, rejected: [] });
    expect(b).toMatchObject({ total: half, created: half, rejected: [] });
    const run = await post('/admin/insight/recompute', '{}', 'application/json');
    expect(run).toMatchObject({ ran: true });
    expect(run.customers).toBeGreaterThan(9000);
    console.log(`[insight e2e] imported ${ORDERS} orders and recomputed ${String(run.customers)} customers in ${String(run.ms)} ms (recompute)`);

    agent = await openAgent(rig.browser, { wsUrl: rig.pbx.wsUrl, user: '1001', password: 'pw1001', env: { CALLDESK_DEMO: '0' } });
    const page = agent.page;
    await signIn(page);
    // Synced when the customers page finds customer 42 (the insight comes in the same pull).
    await page.getByTestId('nav-customers').click();
    const search = page.getByTestId('customer-search');
    const row = page.locator('[data-testid=customer-row]', { hasText: '王芳' });
    await expect
      .poll(
        async () => {
          await search.fill('');
          await search.fill('K00042');
          await page.waitForTimeout(1000);
          return row.count();
        },
        { timeout: 300_000, interval: 3000 },
      )
      .toBeGreaterThan(0);
    console.log('[insight e2e] desktop synced');

    const caller = await rig.customer('2001');
    peers.push(caller);
    await expect.poll(async () => (await caller.events()).some((e) => e.kind === 'registered'), { timeout: 10_000 }).toBe(true);
    for (const [language, sizes] of [['en-US', [[1366, 768], [1920, 1080]]], ['zh-CN', [[1366, 768], [1920, 1080]]]] as const) {
      if (language === 'zh-CN') {
        await page.getByTestId('nav-settings').click();
        await page.getByTestId('setting-ui.language').click();
        await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '简体中文' }).first().click();
        await expect.poll(() => page.getByTestId('nav-settings').innerText()).toContain('设置');
      }
      await caller.call('1001', [`P-Asserted-Identity: <sip:${phoneOf(42)}@calldesk.test;user=phone>`]);
      const card = page.getByTestId('pop-card');
      await expect.poll(() => page.getByTestId('pop-name').textContent().catch(() => null), { timeout: 15_000 }).toBe('王芳');
      expect(await page.getByTestId('call-card').first().getAttribute('data-call-state')).toBe('ringing');
      await card.getByTestId('insight').waitFor({ timeout: 10_000 });
      const segment = await card.getByTestId('insight-segment').innerText();
      expect(segment).toBe(language === 'en-US' ? 'Champion' : '重要价值客户');
      expect(await card.getByTestId('insight-abc').innerText()).toBe(language === 'en-US' ? 'Class A' : 'A 类客户');
      expect(await card.getByTestId('insight-clv').innerText()).toMatch(/\d/);
      expect(await card.getByTestId('insight-last-purchase').innerText()).toMatch(language === 'en-US' ? /\d+ days ago|Today/ : /\d+ 天前|今天/);
      for (const [width, height] of sizes) {
        await page.setViewportSize({ width, height });
        await page.waitForTimeout(300);
        if (SHOTS) await page.screenshot({ path: `${SHOTS}/insight-pop-${language}-${width}x${height}.png` });
      }
      await caller.hangup();
      await expect.poll(() => page.getByTestId('call-card').count(), { timeout: 15_000 }).toBeLessThanOrEqual(1);
    }
  }, 900_000);
});
