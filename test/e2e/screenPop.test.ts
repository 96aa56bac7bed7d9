import fs from 'node:fs';
import iconv from 'iconv-lite';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openAgent, type Agent } from '../helpers/agentPage';
import { tempDataDir } from '../helpers/hostProcess';
import type { SipPeer } from '../helpers/sipPeer/driver';
import { startTelephonyRig, type TelephonyRig } from '../helpers/telephonyRig';

// The agent's data dir is seeded with demo customers (electron/core/customer/demoData.ts), among them
// the showcase ones: 张伟 (VIP-0001, stored as "0755-8888 1234"), 李娜 and 王强 (both on +86 138 0013 8000,
// contacted 3 and 200 days ago) and Alice Smith (US-ACME-01).

let rig: TelephonyRig;
let agent: Agent;
const cleanup: (() => Promise<void>)[] = [];

beforeAll(async () => {
  rig = await startTelephonyRig();
  agent = await openAgent(rig.browser, { wsUrl: rig.pbx.wsUrl, user: '1001', password: 'pw1001', env: { CALLDESK_DEMO: '1', CALLDESK_DEMO_CUSTOMERS: '50' } });
  await agent.page.setViewportSize({ width: 1440, height: 900 });
  await agent.page.getByTestId('nav-customers').click();
});
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c().catch(() => undefined);
  // Every case starts with no call and no pop on screen.
  await expect.poll(() => agent.page.getByTestId('call-card').count(), { timeout: 10_000 }).toBe(0);
  const dismiss = agent.page.getByTestId('pop-dismiss');
  while ((await dismiss.count()) > 0) await dismiss.first().click();
});
afterAll(async () => {
  await agent?.close();
  await rig?.close();
});

async function customer(user: string): Promise<SipPeer> {
  const p = await rig.customer(user);
  cleanup.push(() => p.close());
  await expect.poll(async () => (await p.events()).some((e) => e.kind === 'registered'), { timeout: 10_000 }).toBe(true);
  return p;
}

/** The agent's call card state right now (the pop must be on screen while this is still "ringing"). */
function callState(): Promise<string | null> {
  return agent.page.getByTestId('call-card').first().getAttribute('data-call-state');
}

describe('screen pop end to end (Kamailio + Chromium + demo customers)', () => {
  it('a customer stored as 0755-8888 1234 calls as +86 755 88881234: the card is on screen while it still rings', async () => {
    const c = await customer('2001');
    const page = agent.page;
    const started = Date.now();
    await c.call('1001', ['P-Asserted-Identity: <sip:+86-755-8888-1234@calldesk.test;user=phone>', 'X-Queue: vip-support', 'X-IVR-Path: 1-3']);
    const card = page.getByTestId('pop-card');
    await expect.poll(() => page.getByTestId('pop-name').textContent().catch(() => null), { timeout: 10_000 }).toBe('张伟');
    const shownAfterMs = Date.now() - started;
    // Before answering: the call is still ringing and nobody has answered.
    expect(await callState()).toBe('ringing');
    expect(await card.getAttribute('data-kind')).toBe('match');
    expect(await card.getByTestId('pop-call-state').innerText()).toBe('Ringing');
    expect(await card.getByTestId('pop-level').innerText()).toBe('VIP');
    expect(await card.getByTestId('pop-company').innerText()).toBe('深圳市腾飞科技有限公司');
    expect(await card.getByTestId('pop-birthday').innerText()).toBe('Birthday today');
    expect(await card.getByTestId('pop-last-contact').innerText()).toContain('12 days ago');
    expect(await card.getByTestId('pop-header-queue').innerText()).toBe('Queue: vip-support');
    expect(await card.getByTestId('pop-header-ivr').innerText()).toBe('IVR choice: 1-3');
    await page.screenshot({ path: '/tmp/screenpop-match.png' });
    console.log(`screen pop: card with the customer's name on screen ${shownAfterMs} ms after the customer's INVITE was sent (includes SIP through Kamailio)`);

    await card.getByTestId('pop-answer').click();
    await expect.poll(callState, { timeout: 10_000 }).toBe('active');
    expect(await card.getByTestId('pop-call-state').innerText()).toBe('Talking');
    await card.getByTestId('pop-open-record').click();
    await expect.poll(() => page.getByTestId('record-title').textContent().catch(() => null), { timeout: 10_000 }).toBe('张伟');
    expect(await page.getByTestId('editor-phone-row').count()).toBe(2);
    await page.locator('.ant-drawer-close').click();
    await c.hangup();
  });

  it('several customers share the number: a chooser ordered by last contact; choosing shows that card', async () => {
    const c = await customer('2002');
    const page = agent.page;
    await c.call('1001', ['P-Asserted-Identity: <sip:+8613800138000@calldesk.test>']);
    const chooser = page.getByTestId('pop-chooser');
    await chooser.waitFor({ timeout: 10_000 });
    expect(await callState()).toBe('ringing');
    await expect.poll(() => chooser.getByTestId('pop-candidate-name').allInnerTexts()).toEqual(['李娜', '王强']);
    await page.screenshot({ path: '/tmp/screenpop-multiple.png' });
    await chooser.getByTestId('pop-candidate-choose').nth(1).click();
    await expect.poll(() => page.getByTestId('pop-name').textContent().catch(() => null), { timeout: 10_000 }).toBe('王强');
    expect(await page.getByTestId('pop-dormant').innerText()).toBe('Dormant');
    await c.hangup();
  });

  it('an unknown number gets a quick-create form prefilled with it; the customer created there pops on the next call', async () => {
    const c = await customer('2003');
    const page = agent.page;
    const pai = 'P-Asserted-Identity: <sip:+862039990001@calldesk.test>';
    await c.call('1001', [pai]);
    const form = page.getByTestId('pop-quick-create');
    await form.waitFor({ timeout: 10_000 });
    expect(await callState()).toBe('ringing');
    expect(await form.getByTestId('quick-phone').inputValue()).toBe('020 3999 0001');
    await page.screenshot({ path: '/tmp/screenpop-none.png' });
    await form.getByTestId('quick-name').fill('Quick Test 快速');
    await form.getByTestId('quick-company').fill('Canton Trading');
    await form.getByTestId('quick-save').click();
    await expect.poll(() => page.getByTestId('pop-name').textContent().catch(() => null), { timeout: 10_000 }).toBe('Quick Test 快速');
    await c.hangup();
    await expect.poll(() => page.getByTestId('call-card').count(), { timeout: 10_000 }).toBe(0);
    await page.getByTestId('pop-dismiss').click();

    await c.call('1001', [pai]);
    await expect.poll(() => page.getByTestId('pop-name').textContent().catch(() => null), { timeout: 10_000 }).toBe('Quick Test 快速');
    expect(await callState()).toBe('ringing');
    expect(await page.getByTestId('pop-company').innerText()).toBe('Canton Trading');
    await c.hangup();
  });

  it('a withheld caller gets a search box; the customer found there shows as the card', async () => {
    const c = await customer('2004');
    const page = agent.page;
    await c.call('1001', ['P-Asserted-Identity: "Anonymous" <sip:anonymous@anonymous.invalid>', 'Privacy: id']);
    const search = page.getByTestId('pop-search');
    await search.waitFor({ timeout: 10_000 });
    expect(await callState()).toBe('ringing');
    expect(await page.getByTestId('pop-card').getAttribute('data-kind')).toBe('withheld');
    await search.getByTestId('pop-search-input').fill('Alice');
    await search.getByTestId('pop-search-result').first().waitFor({ timeout: 10_000 });
    await page.screenshot({ path: '/tmp/screenpop-withheld.png' });
    await search.getByTestId('pop-search-result').first().click();
    await expect.poll(() => page.getByTestId('pop-name').textContent().catch(() => null), { timeout: 10_000 }).toBe('Alice Smith');
    await c.hangup();
  });

  it('CSV import in the UI: a GBK file with three bad rows imports the rest and lists the three with reasons; export downloads', async () => {
    const page = agent.page;
    const csv = [
      '编号,姓名,公司,手机,等级',
      'GBK-001,欧阳娜娜,广州星河贸易有限公司,13711112222,黄金',
      'GBK-002,,无名公司,13711113333,普通',
      'GBK-003,司马光,砸缸科技,12,普通',
      'GBK-004,诸葛亮,蜀汉咨询,13711114444,铂金',
      'GBK-005,上官婉儿,大唐文化,13711115555,不存在的等级',
      'GBK-006,慕容复,燕国物流,020-3999 1234,普通',
    ].join('\r\n');
    const file = `${tempDataDir('csv-')}/客户-gbk.csv`;
    fs.writeFileSync(file, iconv.encode(csv, 'gbk'));
    await page.getByTestId('csv-import-open').click();
    await page.getByTestId('csv-import').locator('input[type=file]').setInputFiles(file);
    await page.getByTestId('csv-mapping').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('csv-mapping').innerText()).toContain('6 rows');
    await page.getByTestId('csv-run').click();
    const report = page.getByTestId('csv-report');
    await report.waitFor({ timeout: 10_000 });
    expect(await report.getByTestId('csv-created').innerText()).toContain('3');
    expect(await report.getByTestId('csv-rejected').innerText()).toContain('3');
    const rejected = await report.getByTestId('csv-rejected-row').allInnerTexts();
    expect(rejected).toHaveLength(3);
    expect(rejected.map((r) => r.split(/\s+/)[0])).toEqual(['3', '4', '6']);
    for (const row of rejected) expect(row.length).toBeGreaterThan(12);
    await page.screenshot({ path: '/tmp/screenpop-csv-report.png' });
    await page.locator('.ant-modal-close').click();

    await page.getByTestId('customer-search').fill('欧阳娜娜');
    await expect.poll(() => page.getByTestId('customer-row').allInnerTexts(), { timeout: 10_000 }).toEqual([expect.stringContaining('GBK-001')]);
    await page.getByTestId('csv-export').click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByText('UTF-8 for Excel (with BOM)').click()]);
    const bytes = fs.readFileSync((await download.path())!);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.toString('utf8')).toContain('欧阳娜娜');
    expect(bytes.toString('utf8')).not.toContain('张伟');
    await page.getByTestId('customer-search').fill('');
  });

  it('search page: pinyin type-ahead finds 张伟; SQL and FTS syntax gives results or nothing, never an error', async () => {
    const page = agent.page;
    const box = page.getByTestId('customer-search');
    await box.fill('zhangwei');
    await expect.poll(() => page.getByTestId('customer-row').allInnerTexts(), { timeout: 10_000 }).toContainEqual(expect.stringContaining('VIP-0001'));
    const junk = `' " * ( ) OR NEAR - ^`;
    await box.fill(junk);
    await expect.poll(() => page.getByTestId('customer-results-meta').getAttribute('data-query'), { timeout: 10_000 }).toBe(junk);
    expect(await page.getByTestId('customer-results-meta').innerText()).toMatch(/^Matches: \d+$/);
    expect(await page.getByTestId('customer-search-error').count()).toBe(0);
    await box.fill('');
  });

  it('a tel: link given as ?dial= asks, then calls', async () => {
    const c = await customer('2005');
    const page = agent.page;
    const url = new URL(page.url());
    url.searchParams.set('dial', 'tel:2005');
    await page.goto(url.toString());
    await page.getByTestId('dial-prompt').waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('dial-prompt-target').innerText()).toContain('2005');
    expect(new URL(page.url()).searchParams.get('dial')).toBeNull();
    await page.getByTestId('status-registration').filter({ hasText: 'Registered' }).waitFor({ timeout: 15_000 });
    await page.getByTestId('dial-prompt-ok').click();
    await expect.poll(async () => (await c.events()).some((e) => e.kind === 'incoming'), { timeout: 10_000 }).toBe(true);
    await expect.poll(callState, { timeout: 10_000 }).toBe('ringing');
    await page.getByTestId('call-card').getByTestId('call-hangup').click();
  });
});
