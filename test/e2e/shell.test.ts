import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/chromium';
import { startHostProcess, tempDataDir, type HostProcess } from '../helpers/hostProcess';

let browser: Browser;
const hosts: HostProcess[] = [];

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await Promise.all(hosts.map((h) => h.stop()));
});

async function open(host: HostProcess, locale = 'en-US'): Promise<Page> {
  const context = await browser.newContext({ locale });
  const page = await context.newPage();
  await page.goto(host.url);
  await page.getByTestId('status-core').waitFor();
  // Customers is the start page; these tests are about Settings.
  await page.getByTestId('nav-settings').click();
  return page;
}

async function chooseSelect(page: Page, testId: string, optionText: string) {
  await page.getByTestId(testId).click();
  await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option', { hasText: optionText }).first().click();
}

describe('agent shell in Chromium over the browser host', () => {
  it('renders the shell with a connected core', async () => {
    const host = await startHostProcess();
    hosts.push(host);
    const page = await open(host);
    await expect.poll(() => page.getByTestId('status-core').innerText()).toContain('Connected');
    await expect(page.getByTestId('page-settings').isVisible()).resolves.toBe(true);
    expect(await page.title()).toBe('CallDesk');
    await page.context().close();
  });

  it('keeps a setting changed in the UI across a restart of the host', async () => {
    const dataDir = tempDataDir();
    const first = await startHostProcess({ dataDir });
    hosts.push(first);
    const page = await open(first);
    await chooseSelect(page, 'setting-phone.defaultCountry', 'Singapore');
    await expect.poll(() => page.getByTestId('setting-phone.defaultCountry').innerText()).toContain('Singapore');
    await page.getByTestId('setting-server.url').fill('https://calldesk.example.com');
    await page.getByTestId('setting-server.url').press('Enter');
    await page.waitForTimeout(200);
    await page.context().close();
    await first.stop();

    const second = await startHostProcess({ dataDir });
    hosts.push(second);
    const again = await open(second);
    await expect.poll(() => again.getByTestId('setting-phone.defaultCountry').innerText()).toContain('Singapore');
    await expect(again.getByTestId('setting-server.url').inputValue()).resolves.toBe('https://calldesk.example.com');
    await again.context().close();
  });

  it('re-renders in Chinese when zh-CN is chosen in Settings, and back', async () => {
    const host = await startHostProcess();
    hosts.push(host);
    const page = await open(host, 'en-US');
    await expect(page.getByTestId('nav-settings').innerText()).resolves.toContain('Settings');
    await chooseSelect(page, 'setting-ui.language', '简体中文');
    await expect.poll(() => page.getByTestId('nav-settings').innerText()).toContain('设置');
    await expect.poll(() => page.getByTestId('status-core').innerText()).toContain('已连接');
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    await chooseSelect(page, 'setting-ui.language', 'English');
    await expect.poll(() => page.getByTestId('nav-settings').innerText()).toContain('Settings');
    await page.context().close();
  });
});
