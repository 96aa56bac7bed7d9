import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openAgent, type Agent } from '../helpers/agentPage';
import { startTelephonyRig, type TelephonyRig } from '../helpers/telephonyRig';

// An agent searching the customer list (the search box focused, the list scrolled down) gets a
// call: the screen pop opens above the page, and its header (who is calling, Answer) must be on
// screen. Chromium's scroll anchoring kept the focused search box in place instead, so the pop
// opened above the visible area at 1366x768.

/** Where the screenshots go when CALLDESK_SHOTS_DIR is set (looked at by eye; not asserted). */
const SHOTS = process.env.CALLDESK_SHOTS_DIR;
let rig: TelephonyRig;
const agents: Agent[] = [];

beforeAll(async () => {
  rig = await startTelephonyRig();
});
afterAll(async () => {
  for (const a of agents) await a.close();
  await rig?.close();
});

/** The pop's header bar, in viewport coordinates, and whether all of it is visible. */
async function popHeader(page: Page): Promise<{ top: number; bottom: number; inside: boolean }> {
  return page.evaluate(() => {
    const bar = document.querySelector('[data-testid="pop-card"] .cd-pop-bar');
    if (!bar) return { top: NaN, bottom: NaN, inside: false };
    const r = bar.getBoundingClientRect();
    const content = document.querySelector('.cd-content')!.getBoundingClientRect();
    return { top: r.top, bottom: r.bottom, inside: r.top >= Math.max(0, content.top) && r.bottom <= Math.min(window.innerHeight, content.bottom) };
  });
}

/** A chooser of the Settings page (antd Select): open it and pick the option by its label. */
async function chooseSelect(page: Page, testId: string, label: string): Promise<void> {
  await page.getByTestId(testId).click();
  await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: label }).first().click();
}

describe('screen pop while the customer list is scrolled (Kamailio + Chromium)', () => {
  const cases = [
    ['en-US', 1366, 768, '1001', '2001'],
    ['en-US', 1920, 1080, '1002', '2002'],
    ['zh-CN', 1366, 768, '1003', '2003'],
    ['zh-CN', 1920, 1080, '1004', '2004'],
  ] as const;
  for (const [language, width, height, user, caller] of cases) {
    it(`${language} ${width}x${height}: the pop's header is on screen`, async () => {
      const agent = await openAgent(rig.browser, { wsUrl: rig.pbx.wsUrl, user, password: `pw${user}`, env: { CALLDESK_DEMO: '1', CALLDESK_DEMO_CUSTOMERS: '60' } });
      agents.push(agent);
      const page = agent.page;
      await page.setViewportSize({ width, height });
      if (language === 'zh-CN') {
        await page.getByTestId('nav-settings').click();
        await chooseSelect(page, 'setting-ui.language', '简体中文');
        await expect.poll(() => page.getByTestId('nav-settings').innerText()).toContain('设置');
      }
      const c = await rig.customer(caller);
      await expect.poll(async () => (await c.events()).some((e) => e.kind === 'registered'), { timeout: 10_000 }).toBe(true);
      await page.getByTestId('nav-customers').click();
      const search = page.getByTestId('customer-search');
      await search.click();
      // The list scrolled to its end, the search box still focused: where an agent is mid-search.
      await page.evaluate(() => {
        const content = document.querySelector('.cd-content')!;
        content.scrollTop = content.scrollHeight;
      });
      await search.focus();
      await c.call(user);
      const card = page.getByTestId('call-card').first();
      await expect.poll(() => card.getAttribute('data-call-state').catch(() => null), { timeout: 15_000 }).toBe('ringing');
      await page.getByTestId('pop-card').waitFor({ timeout: 10_000 });
      // Layout settles (the quick-create form, fonts) while the call rings: the header must stay on screen.
      await expect.poll(() => popHeader(page), { timeout: 5_000 }).toMatchObject({ inside: true });
      await page.waitForTimeout(500);
      expect(await popHeader(page)).toMatchObject({ inside: true });
      expect(await page.getByTestId('customer-search').evaluate((el) => el === document.activeElement)).toBe(true);
      if (SHOTS) await page.screenshot({ path: `${SHOTS}/pop-scrolled-${language}-${width}x${height}.png` });
      await c.hangup();
      await c.close();
    });
  }
});
