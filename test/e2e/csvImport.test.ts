import fs from 'node:fs';
import iconv from 'iconv-lite';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/chromium';
import { startHostProcess, tempDataDir, type HostProcess } from '../helpers/hostProcess';

// A 100,000-row GBK file (about 5 MB: far above the browser host's 1 MiB WebSocket message cap)
// imported through the UI in Chromium: uploaded in chunks, imported as a job with "N of M rows",
// a search from another window answered while it runs, broken rows reported with line and reason,
// and an import that can be cancelled.
const ROWS = 100_000;
/** Data rows (1-based) that are broken, and why the import must say so. */
const BROKEN = new Map<number, string>([
  [10, 'name'],
  [50_000, 'phone'],
  [99_990, 'level'],
]);

let browser: Browser;
let host: HostProcess;
let page: Page;

function gbkFile(prefix: string): string {
  const lines = ['编号,姓名,公司,手机,等级'];
  for (let i = 1; i <= ROWS; i++) {
    const code = `${prefix}-${String(i).padStart(6, '0')}`;
    const broken = BROKEN.get(i);
    const name = broken === 'name' ? '' : `批量客户${prefix}${i}`;
    const phone = broken === 'phone' ? '12' : `137${String(i).padStart(8, '0')}`;
    const level = broken === 'level' ? '不存在的等级' : '普通';
    lines.push(`${code},${name},华南贸易${i % 100}号有限公司,${phone},${level}`);
  }
  const file = `${tempDataDir('csv-')}/${prefix}-客户.csv`;
  fs.writeFileSync(file, iconv.encode(lines.join('\r\n'), 'gbk'));
  return file;
}

async function pick(file: string): Promise<void> {
  await page.getByTestId('csv-import-open').click();
  await page.getByTestId('csv-import').locator('input[type=file]').setInputFiles(file);
  await page.getByTestId('csv-mapping').waitFor({ timeout: 120_000 });
  expect(await page.getByTestId('csv-mapping').innerText()).toContain(`${ROWS} rows · encoding gb18030`);
}

async function progress(): Promise<{ done: number; total: number } | null> {
  const el = page.getByTestId('csv-progress');
  if (!(await el.isVisible().catch(() => false))) return null;
  const [done, total] = await Promise.all([el.getAttribute('data-done'), el.getAttribute('data-total')]);
  return done === null || total === null ? null : { done: Number(done), total: Number(total) };
}

beforeAll(async () => {
  browser = await launchChromium();
  host = await startHostProcess();
  page = await (await browser.newContext({ locale: 'en-US' })).newPage();
  await page.goto(host.url);
  await page.getByTestId('csv-import-open').waitFor();
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
});

describe('CSV import of a large file in the browser host', () => {
  it('a 100,000-row GBK import can be cancelled: rows written so far stay, the report says cancelled', { timeout: 600_000 }, async () => {
    await pick(gbkFile('CNCL'));
    await page.getByTestId('csv-run').click();
    await expect.poll(async () => (await progress())?.done ?? 0, { timeout: 120_000 }).toBeGreaterThan(0);
    await page.getByTestId('csv-cancel').click();
    const report = page.getByTestId('csv-report');
    await report.waitFor({ timeout: 120_000 });
    expect(await report.getAttribute('data-cancelled')).toBe('true');
    expect(await report.innerText()).toContain('Import cancelled');
    const created = Number((await report.getByTestId('csv-created').innerText()).replace(/\D/g, ''));
    expect(created).toBeGreaterThan(0);
    expect(created).toBeLessThan(ROWS - BROKEN.size);
    await page.locator('.ant-modal-close').click();
  });

  it('imports 100,000 GBK rows with progress, search answering meanwhile, broken rows listed with line and reason', { timeout: 900_000 }, async () => {
    await pick(gbkFile('BULK'));
    await page.getByTestId('csv-run').click();
    await expect.poll(async () => (await progress())?.done ?? 0, { timeout: 120_000 }).toBeGreaterThan(0);
    const first = (await progress())!;
    expect(first.total).toBe(ROWS);
    expect(await page.getByTestId('csv-progress-text').innerText()).toMatch(/^[\d,]+ of 100,000 rows$/);

    // Another window searches while the import runs: the core answers between import chunks.
    const other = await (await browser.newContext({ locale: 'en-US' })).newPage();
    await other.goto(host.url);
    await other.getByTestId('customer-search').fill('13700000002');
    await expect.poll(async () => (await other.getByTestId('customer-row').allInnerTexts()).join('\n'), { timeout: 60_000 }).toContain('BULK-000002');
    const during = await progress();
    expect(during, 'the import was still running when the search answered').not.toBeNull();
    expect(during!.done).toBeLessThan(ROWS);
    await other.context().close();

    // Progress moves on to the end.
    await expect.poll(async () => (await progress())?.done ?? ROWS, { timeout: 60_000 }).toBeGreaterThan(during!.done);
    const report = page.getByTestId('csv-report');
    await report.waitFor({ timeout: 840_000 });
    expect(await report.getAttribute('data-cancelled')).toBe('false');
    expect(await report.innerText()).toContain('Import finished');
    expect((await report.getByTestId('csv-created').innerText()).replace(/\D/g, '')).toBe(String(ROWS - BROKEN.size));
    expect((await report.getByTestId('csv-rejected').innerText()).replace(/\D/g, '')).toBe(String(BROKEN.size));
    const rejected = await report.getByTestId('csv-rejected-row').allInnerTexts();
    expect(rejected.map((r) => Number(r.split(/\s+/)[0]))).toEqual([...BROKEN.keys()].map((i) => i + 1));
    expect(rejected[0]).toMatch(/name/i);
    expect(rejected[1]).toMatch(/too short to be a phone number/);
    expect(rejected[2]).toMatch(/level/i);
    await page.locator('.ant-modal-close').click();

    await page.getByTestId('customer-search').fill('批量客户BULK99999');
    await expect.poll(() => page.getByTestId('customer-row').allInnerTexts(), { timeout: 30_000 }).toEqual([expect.stringContaining('BULK-099999')]);
  });
});
