import path from 'node:path';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { SipPeer } from './sipPeer/driver';

/** The agent desktop's languages and themes every screen is checked in. */
export const LANGUAGES = ['en-US', 'zh-CN'] as const;
export const THEMES = ['light', 'dark'] as const;
export type Look = { language: (typeof LANGUAGES)[number]; theme: (typeof THEMES)[number] };

/** The demo customer 张伟 calls with this identity (see electron/core/customer/demoData.ts). */
export const ZHANG_WEI_PAI = 'P-Asserted-Identity: <sip:+8675588881234@calldesk.test>';

/** A ticket and a task for 张伟 (through the API), so the ticket list, its drawer and My day show real rows. */
export async function seedTicketAndTask(page: Page): Promise<void> {
  await page.evaluate(async () => {
    type R = { ok: boolean; value?: unknown; error?: { message: string } };
    const api = (window as unknown as { calldesk: Record<string, Record<string, (p: unknown) => Promise<R>>> }).calldesk;
    const customers = (await api.customer!.search!({ query: '张伟', filters: {}, limit: 1 })) as R & { value: { items: { id: number }[] } };
    const customerId = customers.value.items[0]!.id;
    const ticket = await api.ticket!.create!({ type: 'complaint', priority: 'P2', subject: 'Parcel arrived damaged', description: 'Box crushed in transit.', customerId });
    if (!ticket.ok) throw new Error(ticket.error!.message);
    const task = await api.task!.create!({ kind: 'callback', title: 'Call back about the replacement', customerId, phone: '+8675588881234', dueAt: Date.now() - 600_000 });
    if (!task.ok) throw new Error(task.error!.message);
  });
}

/** Sets language and theme through the core (as Settings does) and waits until the UI shows them. */
export async function setLook(page: Page, look: Look): Promise<void> {
  await page.evaluate(async ({ language, theme }) => {
    const api = (window as unknown as { calldesk: { settings: { set(p: { key: string; value: unknown }): Promise<{ ok: boolean }> } } }).calldesk;
    await api.settings.set({ key: 'ui.language', value: language });
    await api.settings.set({ key: 'ui.theme', value: theme });
  }, look);
  await expect.poll(() => page.locator('html').getAttribute('lang')).toBe(look.language);
  await expect.poll(() => page.locator('html').getAttribute('data-theme')).toBe(look.theme);
}

/** Clicks a navigation entry and waits for its page. */
export async function goTo(page: Page, key: string): Promise<void> {
  await page.getByTestId(`nav-${key}`).click();
  await page.getByTestId(`page-${key}`).waitFor();
}

/** Waits until no drawer or modal of antd is open or animating. */
export async function overlaysGone(page: Page): Promise<void> {
  await expect
    .poll(() => page.locator('.ant-drawer-open, .ant-modal-wrap:visible, .ant-drawer-content-wrapper:visible').count(), { timeout: 10_000 })
    .toBe(0);
}

/** One screen or state the agent meets: how to bring it on screen and how to leave it. */
export interface AgentScreen {
  name: string;
  show(page: Page): Promise<void>;
  leave?(page: Page): Promise<void>;
}

/** The screens without a call (issue 16): pages, record drawers and the shortcut help. */
export const STATIC_SCREENS: AgentScreen[] = [
  {
    name: 'customers',
    show: async (p) => {
      await goTo(p, 'customers');
      await p.getByTestId('customer-row').first().waitFor();
    },
  },
  {
    name: 'customer drawer',
    show: async (p) => {
      await goTo(p, 'customers');
      await p.getByTestId('customer-row').first().click();
      await p.getByTestId('record-title').waitFor();
      await p.getByTestId('owner-panel').waitFor();
    },
    leave: async (p) => {
      await p.keyboard.press('Escape');
      await overlaysGone(p);
    },
  },
  {
    name: 'tickets',
    show: async (p) => {
      await goTo(p, 'tickets');
      await p.getByTestId('ticket-row').first().waitFor();
    },
  },
  {
    name: 'ticket drawer',
    show: async (p) => {
      await goTo(p, 'tickets');
      await p.getByTestId('ticket-row').first().click();
      await p.getByTestId('ticket-drawer-subject').waitFor();
      await p.getByTestId('ticket-history').waitFor();
    },
    leave: async (p) => {
      await p.keyboard.press('Escape');
      await overlaysGone(p);
    },
  },
  {
    name: 'my day',
    show: async (p) => {
      await goTo(p, 'myday');
      await p.getByTestId('task-title').first().waitFor();
    },
  },
  { name: 'settings', show: (p) => goTo(p, 'settings') },
  { name: 'diagnostics', show: (p) => goTo(p, 'diagnostics') },
  {
    name: 'F1 help',
    show: async (p) => {
      await goTo(p, 'customers');
      await p.keyboard.press('F1');
      await p.getByRole('dialog').waitFor();
    },
    leave: async (p) => {
      await p.keyboard.press('Escape');
      await overlaysGone(p);
    },
  },
];

const agentState = (page: Page) => page.getByTestId('agent-state').getAttribute('data-state', { timeout: 1000 }).catch(() => null);

/**
 * Walks one inbound call from 张伟 through its three states, calling `at` in each: the ringing
 * screen pop, the active call, and the wrap-up (skipped at the end so the agent is ready again).
 */
export async function walkCall(page: Page, caller: SipPeer, agentUser: string, at: (screen: string) => Promise<void>): Promise<void> {
  await goTo(page, 'customers');
  await caller.call(agentUser, [ZHANG_WEI_PAI]);
  await expect.poll(() => page.getByTestId('pop-name').textContent().catch(() => null), { timeout: 15_000 }).toBe('张伟');
  await expect.poll(() => agentState(page)).toBe('ringing');
  await at('ringing screen pop');
  await page.getByTestId('pop-answer').click();
  await expect.poll(() => caller.state(), { timeout: 10_000 }).toBe('Established');
  await expect.poll(() => agentState(page), { timeout: 10_000 }).toBe('on-call');
  await at('active call');
  await caller.hangup();
  await page.getByTestId('wrapup-panel').waitFor({ timeout: 10_000 });
  await at('wrap-up');
  await finishWrapUp(page);
  await expect.poll(() => page.getByTestId('pop-dismiss').count()).toBeGreaterThan(0);
  while ((await page.getByTestId('pop-dismiss').count()) > 0) await page.getByTestId('pop-dismiss').first().click();
}

/** Ends the wrap-up on screen: the first disposition, then Submit. */
export async function finishWrapUp(page: Page): Promise<void> {
  await page.getByTestId('wrapup-disposition').click();
  await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) [data-testid^=disposition-]').first().click();
  await page.getByTestId('wrapup-submit').click();
  await expect.poll(() => page.getByTestId('wrapup-panel').count(), { timeout: 10_000 }).toBe(0);
}

/** Where screenshots go when CALLDESK_SHOTS_DIR is set (checked by eye; not part of the assertions). */
const SHOTS_DIR = process.env.CALLDESK_SHOTS_DIR;
const SIZES = [
  { width: 1366, height: 768 },
  { width: 1920, height: 1080 },
];

/** Saves the screen at 1366x768 and 1920x1080 when CALLDESK_SHOTS_DIR is set; the page is left at `restore`. */
export async function shoot(page: Page, look: Look, screen: string, restore: { width: number; height: number }): Promise<void> {
  if (!SHOTS_DIR) return;
  for (const size of SIZES) {
    await page.setViewportSize(size);
    await page.waitForTimeout(250);
    const file = `${look.language}-${look.theme}-${screen.replace(/\s+/g, '-')}-${size.width}x${size.height}.png`;
    await page.screenshot({ path: path.join(SHOTS_DIR, file) });
  }
  await page.setViewportSize(restore);
}
