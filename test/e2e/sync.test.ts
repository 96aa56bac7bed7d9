import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../server/db/db';
import { UserService } from '../../server/services/users';
import { launchChromium } from '../helpers/chromium';
import { startHostProcess, type HostProcess } from '../helpers/hostProcess';
import { startPostgres, type TestPostgres } from '../helpers/postgres';
import { openTestDb, TEST_PASSWORD_COST, TEST_SECRET } from '../helpers/serverHarness';
import { startServerProcess, type ServerProcess } from '../helpers/serverProcess';
import { freePort } from '../helpers/wait';

// Two agent desktops (browser host + Chromium UI each) and the central server process on a real
// PostgreSQL: what the agents see while the server goes away and comes back.

let browser: Browser;
let pgsrv: TestPostgres;
let db: Db;
let dbUrl: string;
let port: number;
let server: ServerProcess | null = null;
const hosts: HostProcess[] = [];

async function startServer(): Promise<void> {
  server = await startServerProcess({ DATABASE_URL: dbUrl, CALLDESK_SERVER_SECRET: TEST_SECRET, CALLDESK_SERVER_PORT: String(port) });
}

beforeAll(async () => {
  browser = await launchChromium();
  pgsrv = await startPostgres();
  dbUrl = await pgsrv.createDatabase();
  db = await openTestDb(dbUrl);
  const users = new UserService(db, TEST_PASSWORD_COST);
  await users.create({ id: 'alice', displayName: 'Alice Wang', password: 'password-123', role: 'agent', team: 'red' });
  await users.create({ id: 'bob', displayName: 'Bob Li', password: 'password-123', role: 'agent', team: 'red' });
  port = await freePort();
  await startServer();
});

afterAll(async () => {
  await browser?.close();
  await Promise.all(hosts.map((h) => h.stop()));
  await server?.kill();
  await db?.close();
  await pgsrv?.stop();
});

/** An agent desktop signed in through the Settings page, as an agent would. */
async function signedInAgent(username: string): Promise<Page> {
  // The retry cap is a provisioned setting; one second keeps the test short.
  const host = await startHostProcess({ env: { CALLDESK_SERVER_RETRYMAXSECONDS: '1' } });
  hosts.push(host);
  const page = await (await browser.newContext({ locale: 'en-US' })).newPage();
  await page.goto(host.url);
  await page.getByTestId('status-core').waitFor();
  await page.getByTestId('nav-settings').click();
  const account = page.getByTestId('server-account');
  await account.getByTestId('server-url').fill(`http://127.0.0.1:${port}`);
  await account.getByTestId('server-username').fill(username);
  await account.getByTestId('server-password').fill('wrong-password');
  await account.getByTestId('server-sign-in').click();
  await expect.poll(() => account.getByTestId('server-sign-in-error').innerText()).toContain('Wrong user name or password');
  await account.getByTestId('server-password').fill('password-123');
  await account.getByTestId('server-sign-in').click();
  await expect.poll(() => account.getAttribute('data-user')).toBe(username);
  await expect.poll(() => connection(page)).toBe('online');
  return page;
}

const syncMarker = (page: Page) => page.getByTestId('status-sync').locator('[data-connection]');
const connection = (page: Page) => syncMarker(page).getAttribute('data-connection');
const outbox = async (page: Page) => Number(await syncMarker(page).getAttribute('data-outbox'));

describe('central server seen from two agent desktops', () => {
  it('A creates a ticket while the server is down (status bar: offline, 1 waiting); the server starts; B sees it soon after A reconnects', async () => {
    const a = await signedInAgent('alice');
    const b = await signedInAgent('bob');
    await b.getByTestId('nav-tickets').click();
    await b.getByTestId('tickets-view-open').click();

    await server!.kill();
    server = null;
    await expect.poll(() => connection(a), { timeout: 15_000 }).toBe('offline');
    expect(await a.getByTestId('status-sync').innerText()).toMatch(/Offline/);

    await a.getByTestId('nav-tickets').click();
    await a.getByTestId('tickets-new').click();
    await a.getByTestId('ticket-new-subject').fill('Refund for order 8841; made offline');
    await a.getByTestId('ticket-new-submit').click();
    await a.getByTestId('ticket-new-modal').waitFor({ state: 'detached' });
    await expect.poll(() => outbox(a)).toBeGreaterThanOrEqual(1);
    expect(await a.getByTestId('status-sync').innerText()).toMatch(/waiting to sync/);
    await a.screenshot({ path: '/tmp/sync-offline.png' });

    await startServer();
    await expect.poll(async () => (await connection(a)) === 'online' && (await outbox(a)) === 0, { timeout: 20_000, interval: 20 }).toBe(true);
    const aReconnected = performance.now();
    const row = b.locator('[data-testid=ticket-row]', { hasText: 'Refund for order 8841; made offline' });
    await row.waitFor({ timeout: 20_000 });
    const seenAfterMs = Math.round(performance.now() - aReconnected);
    console.log(`[sync e2e] B saw A's offline ticket ${seenAfterMs} ms after A reconnected and drained`);
    await b.screenshot({ path: '/tmp/sync-agent-b.png' });
    expect(await connection(b)).toBe('online');

    // B takes the ticket over in its drawer; on A it leaves "my open tickets" and the drawer history
    // says the central server changed the assignee.
    await row.click();
    const drawer = b.getByTestId('ticket-drawer');
    await drawer.getByTestId('ticket-edit').click();
    await drawer.getByTestId('ticket-edit-assign-me').click();
    await drawer.getByTestId('ticket-edit-save').click();
    await drawer.getByTestId('ticket-edit-form').waitFor({ state: 'detached' });
    await a.getByTestId('tickets-view-my-open').click();
    const mine = a.locator('[data-testid=ticket-row]', { hasText: 'Refund for order 8841; made offline' });
    await mine.waitFor({ state: 'detached', timeout: 10_000 });
    await a.getByTestId('tickets-view-open').click();
    await a.locator('[data-testid=ticket-row]', { hasText: 'Refund for order 8841; made offline' }).click();
    const history = a.getByTestId('ticket-drawer').getByTestId('ticket-history');
    await expect.poll(() => history.innerText()).toContain('Central server');
    expect(await history.innerText()).toMatch(/Assignee: alice\s*→\s*bob/);
    await a.screenshot({ path: '/tmp/sync-agent-a-history.png' });
  });
});
