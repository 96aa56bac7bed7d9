import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pickPorts, startPbx, type RunningPbx } from '../../scripts/pbx.mjs';
import { QueueService } from '../../server/acd/queueService';
import type { Db } from '../../server/db/db';
import { UserService } from '../../server/services/users';
import { MiniSip } from '../helpers/acd/miniSip';
import { openAgent, type Agent } from '../helpers/agentPage';
import { setLook } from '../helpers/agentScreens';
import { launchChromium } from '../helpers/chromium';
import { tempDataDir } from '../helpers/hostProcess';
import { startPostgres, type TestPostgres } from '../helpers/postgres';
import { openTestDb, TEST_PASSWORD_COST, TEST_SECRET } from '../helpers/serverHarness';
import { startServerProcess, type ServerProcess } from '../helpers/serverProcess';

// An agent desktop (browser host + Chromium UI) signed in to the server process that runs the ACD
// router against a real Kamailio (WITH_ACD) on PostgreSQL: the status bar shows the agent's queues
// with the waiting call and its wait; the ringing card shows the queue and why the call came to them.

/** Where the screenshots go when CALLDESK_SHOTS_DIR is set (looked at by eye; not asserted). */
const SHOTS = process.env.CALLDESK_SHOTS_DIR;
let browser: Browser;
let pg: TestPostgres;
let db: Db;
let server: ServerProcess;
let pbx: RunningPbx;
let agent: Agent;
let caller: MiniSip;

beforeAll(async () => {
  browser = await launchChromium();
  pg = await startPostgres();
  const dbUrl = await pg.createDatabase();
  db = await openTestDb(dbUrl);
  await new UserService(db, TEST_PASSWORD_COST).create({ id: 'alice', displayName: 'Alice Wang', password: 'password-123', role: 'agent', team: null });
  pbx = await startPbx({ ...(await pickPorts()), dir: tempDataDir('acd-e2e-pbx-'), rtpengine: false, acd: {} });
  const queues = new QueueService(db);
  await queues.create({ id: 'sales', name: 'Sales', numbers: ['600'], members: [{ agentId: 'alice', skill: 8 }], policy: 'skills', ringTimeoutSec: 90 });
  await queues.create({ id: 'support', name: 'Support', numbers: ['601'], members: [{ agentId: 'alice' }] });
  server = await startServerProcess({ DATABASE_URL: dbUrl, CALLDESK_SERVER_SECRET: TEST_SECRET, CALLDESK_ACD_EVAPI: pbx.acdEvapi!, CALLDESK_ACD_LEADER_POLL_MS: '200' });
  caller = await MiniSip.open('2001', pbx.sipPort);
  agent = await openAgent(browser, { wsUrl: pbx.wsUrl, user: 'alice', password: 'alicepw', env: { CALLDESK_SERVER_RETRYMAXSECONDS: '1', CALLDESK_SIP_RINGTIMEOUTSECONDS: '120' } });
}, 120_000);

afterAll(async () => {
  caller?.close();
  await agent?.close();
  await browser?.close();
  await server?.kill();
  await pbx?.stop();
  await db?.close();
  await pg?.stop();
});

async function shots(name: string): Promise<void> {
  if (!SHOTS) return;
  const page = agent.page;
  for (const language of ['en-US', 'zh-CN'] as const) {
    await setLook(page, { language, theme: 'light' });
    for (const [width, height] of [[1366, 768], [1920, 1080]] as const) {
      await page.setViewportSize({ width, height });
      await page.screenshot({ path: path.join(SHOTS, `${name}-${language}-${width}x${height}.png`) });
    }
  }
  await setLook(page, { language: 'en-US', theme: 'light' });
}

describe('queues on the agent desktop', () => {
  it('status bar: the waiting call and its wait, pushed by the server; queue login switch; ringing card: queue and why routed', async () => {
    const page = agent.page;
    await page.getByTestId('nav-settings').click();
    const account = page.getByTestId('server-account');
    await account.getByTestId('server-url').fill(server.url);
    await account.getByTestId('server-username').fill('alice');
    await account.getByTestId('server-password').fill('password-123');
    await account.getByTestId('server-sign-in').click();
    await expect.poll(() => account.getAttribute('data-user'), { timeout: 20_000 }).toBe('alice');
    await page.getByTestId('agent-state').click();
    await page.getByTestId('agent-set-not-ready-break').click();
    await expect.poll(() => page.getByTestId('agent-state').getAttribute('data-state')).toBe('not-ready');
    await page.getByTestId('nav-softphone').click().catch(() => undefined);

    const status = page.getByTestId('status-queues');
    await expect.poll(() => status.innerText(), { timeout: 20_000 }).toContain('Sales');
    const pending = caller.call('600', { abandonAfterMs: 120_000, timeoutMs: 180_000 });
    await expect.poll(() => page.getByTestId('queue-sales').getAttribute('data-waiting'), { timeout: 20_000 }).toBe('1');
    // The longest wait ages on screen (the server's figure, then local seconds).
    await expect.poll(() => page.getByTestId('queue-sales').innerText(), { timeout: 20_000 }).toMatch(/1 waiting \(longest 0:0[2-9]\)/);
    await shots('queues-status-waiting');

    // Log out of Support from the status bar: the switch shows it, the bar lists only Sales.
    await page.getByTestId('queue-status').click();
    await page.getByTestId('queue-login-support').getByRole('switch').click();
    await expect.poll(() => page.getByTestId('queue-support').count()).toBe(0);
    await shots('queues-login-menu');
    await page.keyboard.press('Escape');

    // Ready: the waiting call rings this agent with its queue, the reason and the wait.
    await page.getByTestId('agent-state').click();
    await page.getByTestId('agent-set-ready').click();
    const card = page.getByTestId('call-card');
    await card.waitFor({ timeout: 20_000 });
    const line = card.getByTestId('call-queue');
    await expect.poll(() => line.getAttribute('data-queue')).toBe('sales');
    expect(await line.getAttribute('data-reason')).toBe('skill');
    expect(await card.getByTestId('call-queue-reason').innerText()).toMatch(/^Routed to you: best skill level available · waited 0:\d\d$/);
    await shots('queues-ringing-card');
    // The caller gives up later (or is closed with the test); no need to wait for it.
    pending.catch(() => undefined);
  }, 240_000);
});
