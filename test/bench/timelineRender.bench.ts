import type { Browser, Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/chromium';
import { startHostProcess, type HostProcess } from '../helpers/hostProcess';
import { benchSize, report, summarise } from './harness';

// The customer record's timeline in Chromium (built browser host, real core and SQLite) with
// 10,000 contacts: time from opening the record to the first timeline row, and frame times while
// scrolling through the whole history (the list is windowed and pages by a cursor). Needs `npm run build`.
const CONTACTS = benchSize('CALLDESK_BENCH_CONTACTS', 2_000, 10_000);
const OPENS = 15;
let host: HostProcess | undefined;
let browser: Browser | undefined;

afterAll(async () => {
  await browser?.close();
  await host?.stop();
});

type Api = { calldesk: { customer: { search(r: unknown): Promise<{ ok: boolean; value: { items: { id: number; name: string }[] } }> }; interaction: { add(r: unknown): Promise<{ ok: boolean }> } } };

async function seed(page: Page, customerId: number): Promise<number> {
  return page.evaluate(
    async ({ customerId, n }) => {
      const api = (window as unknown as Api).calldesk;
      const kinds = ['note', 'email', 'sms', 'visit'];
      const t0 = performance.now();
      for (let done = 0; done < n; done += 250) {
        const batch = Array.from({ length: Math.min(250, n - done) }, (_, k) => {
          const i = done + k;
          return api.interaction.add({ kind: kinds[i % 4], customerId, occurredAt: 1_700_000_000_000 + i * 60_000, subject: `Contact ${i}`, notes: `Follow-up log entry number ${i}: the customer asked about order ${1000 + i}.` });
        });
        const answers = await Promise.all(batch);
        if (answers.some((a) => !a.ok)) throw new Error('seeding failed');
      }
      return performance.now() - t0;
    },
    { customerId, n: CONTACTS },
  );
}

describe('customer timeline rendering', () => {
  it(`${CONTACTS} contacts: open the record -> first timeline row; scroll frame times through the whole history`, async () => {
    host = await startHostProcess({ env: { CALLDESK_DEMO: '1', CALLDESK_DEMO_CUSTOMERS: '20' } });
    browser = await launchChromium();
    const page = await (await browser.newContext({ locale: 'en-US', viewport: { width: 1440, height: 900 } })).newPage();
    await page.goto(host.url);
    await page.getByTestId('page-customers').waitFor();
    const customer = await page.evaluate(async () => (await (window as unknown as Api).calldesk.customer.search({ query: '张伟', limit: 1 })).value.items[0]!);
    const seedMs = await seed(page, customer.id);
    process.stdout.write(`seeded ${CONTACTS} contacts in ${seedMs.toFixed(0)} ms\n`);

    await page.getByTestId('customer-search').fill('张伟');
    await page.locator('[data-testid=customer-results-meta][data-query="张伟"]').waitFor();
    const row = page.getByTestId('customer-row').first();
    await row.waitFor();
    expect(await row.innerText()).toContain('张伟');
    const opens: number[] = [];
    for (let i = 0; i < OPENS + 2; i++) {
      const ms = await page.evaluate(
        () =>
          new Promise<number>((resolve, reject) => {
            setTimeout(() => reject(new Error('no timeline row within 20 s')), 20_000);
            const selector = '[data-testid=customer-workflow-page] [data-testid=timeline-entry]';
            const t0 = performance.now();
            const obs = new MutationObserver(() => {
              if (document.querySelector(selector)) {
                obs.disconnect();
                requestAnimationFrame(() => resolve(performance.now() - t0));
              }
            });
            obs.observe(document.body, { subtree: true, childList: true });
            document.querySelector<HTMLElement>('[data-testid=customer-row]')!.click();
          }),
      );
      if (i >= 2) opens.push(ms);
      expect(await page.getByTestId('customer-workflow-page').getByTestId('timeline-count').getAttribute('data-count')).toBe(String(CONTACTS));
      await page.locator('.ant-drawer-close').click();
      await page.getByTestId('customer-workflow-page').waitFor({ state: 'detached' });
    }

    await page.getByTestId('customer-row').first().click();
    const list = page.getByTestId('customer-workflow-page').getByTestId('timeline-scroll');
    await list.waitFor();
    const scroll = await list.evaluate(
      (el, total) =>
        new Promise<{ frames: number[]; rows: number; ms: number; maxDom: number }>((resolve) => {
          const frames: number[] = [];
          let last = performance.now();
          const t0 = last;
          let maxDom = 0;
          const step = (now: number) => {
            frames.push(now - last);
            last = now;
            maxDom = Math.max(maxDom, el.querySelectorAll('[data-testid=timeline-entry]').length);
            const rows = Math.round(el.scrollHeight / 46);
            const atEnd = el.scrollTop + el.clientHeight >= el.scrollHeight - 1;
            if ((atEnd && rows >= total) || now - t0 > 90_000) return resolve({ frames: frames.slice(1), rows, ms: now - t0, maxDom });
            el.scrollTop += 230;
            requestAnimationFrame(step);
          };
          requestAnimationFrame(step);
        }),
      CONTACTS,
    );
    expect(scroll.rows).toBe(CONTACTS);
    report(summarise(`record opened -> first timeline row (${CONTACTS} contacts)`, opens), summarise(`timeline scroll frame time (${CONTACTS} contacts, windowed)`, scroll.frames));
    process.stdout.write(
      `seeding ${CONTACTS} contacts over the API: ${seedMs.toFixed(0)} ms; scrolled all ${scroll.rows} rows in ${(scroll.ms / 1000).toFixed(1)} s (${scroll.frames.length} frames), at most ${scroll.maxDom} rows in the DOM\n`,
    );
  });
});
