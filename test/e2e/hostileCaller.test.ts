import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openAgent, type Agent } from '../helpers/agentPage';
import type { SipPeer } from '../helpers/sipPeer/driver';
import { startTelephonyRig, type TelephonyRig } from '../helpers/telephonyRig';

// A caller chooses their display name: `<` inside the quotes, a right-to-left override and 2,000
// characters must neither hide the number nor push Answer off a 1366x768 screen.

let rig: TelephonyRig;
let agent: Agent;

beforeAll(async () => {
  rig = await startTelephonyRig();
  agent = await openAgent(rig.browser, { wsUrl: rig.pbx.wsUrl, user: '1001', password: 'pw1001', env: { CALLDESK_DEMO: '1', CALLDESK_DEMO_CUSTOMERS: '20' } });
  await agent.page.setViewportSize({ width: 1366, height: 768 });
  await agent.page.getByTestId('nav-customers').click();
});
afterAll(async () => {
  await agent?.close();
  await rig?.close();
});

/** True when the element is entirely inside the viewport (nothing to scroll to reach it). */
async function insideViewport(page: Page, testId: string): Promise<boolean> {
  const box = await page.getByTestId(testId).first().boundingBox();
  const size = page.viewportSize();
  return !!box && !!size && box.x >= 0 && box.y >= 0 && box.x + box.width <= size.width && box.y + box.height <= size.height;
}

describe('hostile caller identity end to end (Kamailio + Chromium)', () => {
  it('"Evil <x> \\u202E name…" with 2,000 characters rings: number shown, Answer on screen and clickable, quick-create prefilled', async () => {
    const page = agent.page;
    const tail = 'n'.repeat(2000);
    const raw = `Evil <x> \u202E name ${tail}`;
    const plain = `Evil <x> name ${tail}`;
    const c: SipPeer = await rig.customer('2001');
    await expect.poll(async () => (await c.events()).some((e) => e.kind === 'registered'), { timeout: 10_000 }).toBe(true);
    await c.call('1001', [`P-Asserted-Identity: "${raw}" <sip:+8613912345678@calldesk.test;user=phone>`]);

    const card = page.getByTestId('call-card').first();
    await expect.poll(() => card.getAttribute('data-call-state').catch(() => null), { timeout: 15_000 }).toBe('ringing');
    // The number, not "Withheld": read past the `<` inside the quoted name.
    expect(await card.getAttribute('data-remote')).toBe('+8613912345678');
    expect(await card.getByTestId('call-remote-number').innerText()).toBe('+8613912345678');
    expect(await card.getByTestId('call-remote-number').isVisible()).toBe(true);
    // The name: no bidi control reaches the screen; cut on screen, the whole (bounded) name on hover.
    const name = card.getByTestId('call-remote');
    const shown = await name.innerText();
    expect(shown).not.toMatch(/[\u202a-\u202e\u2066-\u2069\u200e\u200f]/);
    expect(plain.startsWith((await name.getAttribute('title'))!.replace(/…$/, ''))).toBe(true);
    expect((await name.getAttribute('title'))!.length).toBeGreaterThan(400);
    // Nothing grows past the window: no horizontal scrolling, the card inside it.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1366);
    const cardBox = (await card.boundingBox())!;
    expect(cardBox.x + cardBox.width).toBeLessThanOrEqual(1366);

    // The pop: no match, quick-create prefilled with the number and the (plain, bounded) name.
    const form = page.getByTestId('pop-quick-create');
    await form.waitFor({ timeout: 10_000 });
    expect(await form.getByTestId('quick-phone').inputValue()).toBe('139 1234 5678');
    const prefilled = await form.getByTestId('quick-name').inputValue();
    expect(prefilled).toHaveLength(200);
    expect(prefilled.endsWith('…')).toBe(true);
    expect(plain.startsWith(prefilled.slice(0, -1))).toBe(true);
    expect(await page.getByTestId('pop-caller').innerText()).toBe('139 1234 5678');

    // Answer: on screen at 1366x768 and it answers (a normal click, no scrolling, no force).
    await page.screenshot({ path: '/tmp/hostile-caller-ringing.png' });
    expect(await insideViewport(page, 'call-answer')).toBe(true);
    // The pop's own bar: the name is cut there too, so the pop keeps its size and its Answer fits
    // across (the page may be scrolled: vertical position is the page layout's business, not the name's).
    const popBox = (await page.getByTestId('pop-card').boundingBox())!;
    expect(popBox.x + popBox.width).toBeLessThanOrEqual(1366);
    expect(popBox.height).toBeLessThan(400);
    const popAnswer = (await page.getByTestId('pop-answer').boundingBox())!;
    expect(popAnswer.x + popAnswer.width).toBeLessThanOrEqual(popBox.x + popBox.width);
    expect(await page.getByTestId('pop-caller-name').getAttribute('title')).toBe(prefilled);
    await card.getByTestId('call-answer').click({ timeout: 5_000 });
    await expect.poll(() => card.getAttribute('data-call-state'), { timeout: 10_000 }).toBe('active');
    await c.hangup();
    await expect.poll(() => page.getByTestId('call-card').count(), { timeout: 10_000 }).toBe(0);
    await c.close();
  });
});
