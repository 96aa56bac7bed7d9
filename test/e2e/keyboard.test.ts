import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAgent, type Agent } from '../helpers/agentPage';
import { ZHANG_WEI_PAI, finishWrapUp, goTo, overlaysGone, seedTicketAndTask } from '../helpers/agentScreens';
import type { SipPeer } from '../helpers/sipPeer/driver';
import { startTelephonyRig, type TelephonyRig } from '../helpers/telephonyRig';

// Keyboard only (issue 16): every page walked with Tab and Shift+Tab with a visible focus ring; the
// record drawers and the help dialog keep focus inside, close with Escape and give focus back;
// Alt+A answers a ringing call from anywhere, and the live regions say what happens.

let rig: TelephonyRig;
let agent: Agent;
let caller: SipPeer;
let page: Page;

beforeAll(async () => {
  rig = await startTelephonyRig();
  agent = await openAgent(rig.browser, { wsUrl: rig.pbx.wsUrl, user: '1001', password: 'pw1001', env: { CALLDESK_DEMO: '1', CALLDESK_DEMO_CUSTOMERS: '30' } });
  page = agent.page;
  await page.setViewportSize({ width: 1366, height: 768 });
  await seedTicketAndTask(page);
  caller = await rig.customer('2001');
}, 120_000);
afterAll(async () => {
  await caller?.close();
  await agent?.close();
  await rig?.close();
});

/** The focused element: a stable label, where it is, and whether a focus ring is drawn for it. */
interface Focus {
  id: string;
  ring: boolean;
  /** The element and its ancestors' outlines, for the failure message. */
  chain: string;
  inside: string | null;
}

async function focus(): Promise<Focus | null> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return null;
    // The screen as it ends up: antd fades outlines and dialogs in over 0.2-0.3 s.
    for (const a of document.getAnimations()) if (a.effect?.getComputedTiming().iterations !== Infinity) a.finish();
    el.dataset.kbId ??= String(Math.random()).slice(2, 10);
    const id = `${el.tagName.toLowerCase()}#${el.dataset.kbId}[${el.getAttribute('data-testid') ?? el.getAttribute('aria-label') ?? (el.textContent ?? '').trim().slice(0, 20)}]`;
    // The ring may be drawn on the element or on the antd wrapper around an input (select, checkbox, switch).
    const shown = (e: Element) => {
      for (let n: Element | null = e; n; n = n.parentElement) if (Number(getComputedStyle(n).opacity) === 0) return false;
      const r = e.getBoundingClientRect();
      return r.width > 0 && r.height > 0;
    };
    let ring = false;
    const chain: string[] = [];
    for (let n: Element | null = el, depth = 0; n && depth < 6 && !ring; n = n.parentElement, depth++) {
      const cs = getComputedStyle(n);
      chain.push(`${n.tagName.toLowerCase()}.${[...n.classList].slice(0, 2).join('.')}(${cs.outlineStyle} ${cs.outlineWidth} op ${cs.opacity})`);
      ring = cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 2 && shown(n);
    }
    const inside = el.closest('.ant-drawer') ? 'drawer' : el.closest('.ant-modal-wrap, .ant-modal') ? 'modal' : null;
    return { id, ring, inside, chain: chain.join(' < ') };
  });
}

/**
 * Presses Tab `n` times; each stop must show a focus ring (and stay `inside` when given). Past the
 * last control a browser tab hands focus to the browser's own toolbar once (focus on <body> here),
 * and the next Tab comes back at the top: of the page, or of the open drawer or dialog, which takes
 * focus back (in Electron, with no toolbar, it cycles straight round). Returns the stops.
 */
async function tabThrough(n: number, inside: string | null = null): Promise<string[]> {
  const stops: string[] = [];
  for (let i = 0; i < n; i++) {
    await page.keyboard.press('Tab');
    const f = await focus();
    if (!f && stops.at(-1) !== 'END') {
      stops.push('END');
      continue;
    }
    expect(f, `Tab ${i + 1} lost the focus (after ${stops.at(-1)})`).not.toBeNull();
    expect(f!.ring, `no visible focus on ${f!.id}: ${f!.chain}`).toBe(true);
    if (inside) expect(f!.inside, `${f!.id} is outside the ${inside}`).toBe(inside);
    stops.push(f!.id);
  }
  return stops;
}

/** Shift+Tab retraces the last stops in reverse. */
async function shiftTabBack(stops: string[], n = 3): Promise<void> {
  for (let i = 1; i <= n && i < stops.length; i++) {
    await page.keyboard.press('Shift+Tab');
    if (stops[stops.length - 1 - i] === 'END') {
      expect(await focus()).toBeNull();
      continue;
    }
    const f = await focus();
    expect(f?.id).toBe(stops[stops.length - 1 - i]);
    expect(f!.ring).toBe(true);
  }
}

/** Tabs until the focused element matches `testId` (at most `limit` presses). */
async function tabTo(testId: string, limit = 60): Promise<string> {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    const f = await focus();
    if (f && (await page.evaluate((t) => document.activeElement?.getAttribute('data-testid') === t, testId))) return f.id;
  }
  throw new Error(`${testId} not reached with Tab`);
}

/** Starts the Tab walk at the top of the page's content. */
async function startAtPage(key: string): Promise<void> {
  await goTo(page, key);
  await page.locator(`[data-testid=page-${key}] h3`).first().click();
}

describe('keyboard: every page, drawers and dialogs, Alt+A', () => {
  for (const key of ['customers', 'tickets', 'myday', 'settings', 'diagnostics']) {
    it(`${key}: Tab and Shift+Tab walk the controls with a visible focus ring`, async () => {
      await startAtPage(key);
      const stops = await tabThrough(key === 'settings' ? 40 : 15);
      expect(new Set(stops).size).toBeGreaterThan(3);
      await shiftTabBack(stops);
    });
  }

  it('the customer drawer opens from its row with Enter, keeps focus inside, closes with Escape and returns focus to the row', async () => {
    await startAtPage('customers');
    const row = await tabTo('customer-row');
    await page.keyboard.press('Enter');
    await page.getByTestId('record-title').waitFor();
    await expect.poll(async () => (await focus())?.inside).toBe('drawer');
    await tabThrough(45, 'drawer');
    await page.keyboard.press('Escape');
    await overlaysGone(page);
    expect((await focus())?.id).toBe(row);
  });

  it('the ticket drawer: same trap, Escape and return', async () => {
    await startAtPage('tickets');
    const row = await tabTo('ticket-row');
    await page.keyboard.press('Enter');
    await page.getByTestId('ticket-drawer-subject').waitFor();
    await expect.poll(async () => (await focus())?.inside).toBe('drawer');
    await tabThrough(25, 'drawer');
    await page.keyboard.press('Escape');
    await overlaysGone(page);
    expect((await focus())?.id).toBe(row);
  });

  it('F1 opens the shortcut list as a dialog that keeps focus, Escape closes it and focus returns', async () => {
    await startAtPage('customers');
    const search = await tabTo('customer-search');
    await page.keyboard.press('F1');
    await page.getByRole('dialog').waitFor();
    // The dialog fades in (CSS motion, not a Web Animation): Tab through it once the user can see it.
    await expect.poll(() => page.evaluate(() => getComputedStyle(document.querySelector('.ant-modal')!).opacity), { timeout: 10_000 }).toBe('1');
    await expect.poll(async () => (await focus())?.inside).toBe('modal');
    await tabThrough(6, 'modal');
    await page.keyboard.press('Escape');
    await overlaysGone(page);
    expect((await focus())?.id).toBe(search);
  });

  it('Alt+A answers a ringing call while focus is in Settings; the live regions announce ringing and the call state', async () => {
    await startAtPage('settings');
    const field = await tabTo('setting-sip.authUser');
    await caller.call('1001', [ZHANG_WEI_PAI]);
    await expect.poll(() => page.getByTestId('live-urgent').textContent(), { timeout: 15_000 }).toContain('Incoming call from');
    expect(await page.getByTestId('live-urgent').textContent()).toContain('Alt+A');
    expect((await focus())?.id).toBe(field);
    await page.keyboard.press('Alt+A');
    await expect.poll(() => caller.state(), { timeout: 10_000 }).toBe('Established');
    await expect.poll(() => page.getByTestId('live-polite').textContent(), { timeout: 10_000 }).toContain('Talking');
    await caller.hangup();
    await expect.poll(() => page.getByTestId('live-polite').textContent(), { timeout: 10_000 }).toContain('Ended');
    await page.getByTestId('wrapup-panel').waitFor({ timeout: 10_000 });
    await finishWrapUp(page);
  });
});
