import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { CustomerRepository } from '../../electron/core/customer/customerRepository';
import { CustomerService } from '../../electron/core/customer/customerService';
import { seedDemoCustomers } from '../../electron/core/customer/demoData';
import { createLogRoot } from '../../electron/core/log/logger';
import { openDatabase, readSchemaVersion } from '../../electron/core/store/database';
import { MIGRATIONS } from '../../electron/core/store/migrations';
import { launchChromium } from '../helpers/chromium';
import { ROOT, startHostProcess, tempDataDir, type HostProcess } from '../helpers/hostProcess';
import { benchSize, report, summarise } from './harness';

// The renderer's front-end budget (issue 16), for this build and for the baseline build (the tree
// before code splitting, built here in the same run): JS and CSS sizes (gzip), cold load to first
// contentful paint and to interactive (customer rows on screen), JS heap after 30 page switches, and
// long tasks (> 50 ms) while typing in the customer search with CALLDESK_BENCH_CUSTOMERS customers
// (1M in --full). Prints figures and the ratio to the baseline; no timing is asserted.

/** The commit the baseline is built from: the last one with a single bundle and no code splitting. */
const BASELINE_REF = process.env.CALLDESK_BENCH_BASELINE_REF ?? 'f27dfe0aa195e5796b7f657a8a2c85c93f770bd1';
const COUNT = benchSize('CALLDESK_BENCH_CUSTOMERS', 50_000, 1_000_000);
const LOADS = benchSize('CALLDESK_BENCH_LOADS', 5, 15);
const SWITCHES = 30;
const SCHEMA = MIGRATIONS.reduce((m, x) => Math.max(m, x.version), 0);
const DIR = path.join(os.tmpdir(), 'calldesk-bench');
// Same file as the screen-pop bench: seeded once, reused by both.
const DB_FILE = path.join(DIR, `screenpop-${COUNT}-v${SCHEMA}.sqlite`);

let browser: Browser | undefined;
const hosts: HostProcess[] = [];
let baselineDir: string | undefined;
afterAll(async () => {
  await browser?.close();
  await Promise.all(hosts.map((h) => h.stop()));
  if (baselineDir) fs.rmSync(baselineDir, { recursive: true, force: true });
});

function seededDatabase(): string {
  fs.mkdirSync(DIR, { recursive: true });
  if (fs.existsSync(DB_FILE)) {
    const db = openDatabase({ file: DB_FILE });
    const ok = readSchemaVersion(db) === SCHEMA && new CustomerRepository(db).count() >= COUNT;
    db.close();
    if (ok) return DB_FILE;
    for (const f of [DB_FILE, `${DB_FILE}-wal`, `${DB_FILE}-shm`]) fs.rmSync(f, { force: true });
  }
  const db = openDatabase({ file: DB_FILE });
  db.pragma('synchronous = OFF');
  const service = new CustomerService(new CustomerRepository(db), { now: () => Date.now() }, { phone: () => ({ defaultRegion: 'CN', pbxPrefixes: [] }), dormantDays: () => 90 }, createLogRoot([]).createLogger('bench'));
  seedDemoCustomers(service, COUNT, { seed: 4, batchSize: 10_000 });
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return DB_FILE;
}

/** Builds the baseline commit's host and renderer into a temp folder (sharing node_modules); returns its host entry. */
function buildBaseline(): string {
  baselineDir = fs.mkdtempSync(path.join(os.tmpdir(), 'calldesk-baseline-'));
  const tar = execFileSync('git', ['archive', BASELINE_REF], { cwd: ROOT, maxBuffer: 1 << 28 });
  execFileSync('tar', ['-x', '-C', baselineDir], { input: tar });
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(baselineDir, 'node_modules'));
  // Built as `npm run build` builds (vitest sets NODE_ENV=test, which would give React's development build).
  const env = { ...process.env };
  delete env.NODE_ENV;
  execFileSync(process.execPath, [path.join(baselineDir, 'scripts/build.mjs'), '--only', 'host,renderer'], { cwd: baselineDir, stdio: 'ignore', env });
  return path.join(baselineDir, 'dist', 'host', 'main.mjs');
}

/** Sizes of the built renderer: all JS, the JS a cold start loads (given), and CSS; raw and gzip bytes. */
function sizes(rendererDir: string, startScripts: string[]) {
  const assets = path.join(rendererDir, 'assets');
  const files = fs.readdirSync(assets);
  const measure = (names: string[]) =>
    names.reduce(
      (s, f) => {
        const buf = fs.readFileSync(path.join(assets, f));
        return { raw: s.raw + buf.length, gzip: s.gzip + zlib.gzipSync(buf, { level: 9 }).length };
      },
      { raw: 0, gzip: 0 },
    );
  return {
    js: measure(files.filter((f) => f.endsWith('.js'))),
    startJs: measure(files.filter((f) => startScripts.includes(f))),
    css: measure(files.filter((f) => f.endsWith('.css'))),
    chunks: files.filter((f) => f.endsWith('.js')).length,
  };
}

/** Records, from the first byte of the page, when customer rows appear and every long task. */
const PROBE = `(() => {
  window.__cd = { rowsAt: null, long: [] };
  new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__cd.long.push(e.duration); }).observe({ type: 'longtask', buffered: true });
  const check = () => { if (window.__cd.rowsAt === null && document.querySelector('[data-testid=customer-row]')) window.__cd.rowsAt = performance.now(); };
  new MutationObserver(check).observe(document, { subtree: true, childList: true });
})();`;

interface Load {
  fcp: number;
  interactive: number;
  scripts: string[];
}

async function coldLoad(host: HostProcess): Promise<Load> {
  const context = await browser!.newContext({ locale: 'en-US', viewport: { width: 1366, height: 768 } });
  await context.addInitScript(PROBE);
  const page = await context.newPage();
  await page.goto(host.url);
  await page.waitForFunction(() => (window as unknown as { __cd: { rowsAt: number | null } }).__cd.rowsAt !== null, null, { timeout: 60_000 });
  const r = await page.evaluate(() => ({
    fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN,
    interactive: (window as unknown as { __cd: { rowsAt: number } }).__cd.rowsAt,
    scripts: performance
      .getEntriesByType('resource')
      .filter((e) => e.name.endsWith('.js'))
      .map((e) => e.name.split('/').pop()!),
  }));
  await context.close();
  return r;
}

async function heapAfterSwitches(host: HostProcess): Promise<{ before: number; after: number }> {
  const context = await browser!.newContext({ locale: 'en-US', viewport: { width: 1366, height: 768 } });
  const page = await context.newPage();
  await page.goto(host.url);
  await page.getByTestId('customer-row').first().waitFor({ timeout: 60_000 });
  const cdp = await context.newCDPSession(page);
  const heap = async () => {
    await cdp.send('HeapProfiler.collectGarbage');
    return (await cdp.send('Runtime.getHeapUsage')).usedSize;
  };
  const keys = ['tickets', 'myday', 'settings', 'diagnostics', 'customers'];
  // One round first, so both builds have loaded every page once before the baseline figure.
  for (const k of keys) await switchTo(page, k);
  const before = await heap();
  for (let i = 0; i < SWITCHES; i++) await switchTo(page, keys[i % keys.length]!);
  if (keys[(SWITCHES - 1) % keys.length] !== 'customers') await switchTo(page, 'customers');
  const after = await heap();
  await context.close();
  return { before, after };
}

async function switchTo(page: Page, key: string): Promise<void> {
  await page.getByTestId(`nav-${key}`).click();
  await page.getByTestId(`page-${key}`).waitFor({ timeout: 30_000 });
}

/** Long tasks while an agent types a pinyin name, then a Chinese one, into the customer search. */
async function typingLongTasks(host: HostProcess): Promise<number[]> {
  const context = await browser!.newContext({ locale: 'en-US', viewport: { width: 1366, height: 768 } });
  await context.addInitScript(PROBE);
  const page = await context.newPage();
  await page.goto(host.url);
  await page.getByTestId('customer-row').first().waitFor({ timeout: 60_000 });
  await page.waitForTimeout(1000);
  await page.evaluate(() => ((window as unknown as { __cd: { long: number[] } }).__cd.long = []));
  await page.getByTestId('customer-search').focus();
  await page.keyboard.type('zhangwei', { delay: 150 });
  await page.waitForTimeout(1500);
  for (let i = 0; i < 'zhangwei'.length; i++) await page.keyboard.press('Backspace', { delay: 60 });
  await page.keyboard.type('张伟', { delay: 150 });
  await page.waitForTimeout(1500);
  const long = await page.evaluate(() => (window as unknown as { __cd: { long: number[] } }).__cd.long);
  await context.close();
  return long;
}

async function measureBuild(name: string, entry: string | undefined) {
  const dataDir = tempDataDir('bench-fe-');
  fs.copyFileSync(seededDatabase(), path.join(dataDir, 'calldesk.sqlite'));
  const host = await startHostProcess({ dataDir, entry, env: { CALLDESK_DEMO: '0' } });
  hosts.push(host);
  await coldLoad(host); // warm the host's own caches (SQLite pages, first search): the figure is the browser's cold load
  const loads: Load[] = [];
  for (let i = 0; i < LOADS; i++) loads.push(await coldLoad(host));
  const heap = await heapAfterSwitches(host);
  const long = await typingLongTasks(host);
  const rendererDir = path.join(path.dirname(path.dirname(entry ?? path.join(ROOT, 'dist', 'host', 'main.mjs'))), 'renderer');
  return { name, loads, heap, long, size: sizes(rendererDir, loads[0]!.scripts) };
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
const ratio = (a: number, b: number) => (b > 0 ? (a / b).toFixed(2) : 'n/a');

describe('front-end budget', () => {
  it(`bundle sizes, cold load, heap after ${SWITCHES} page switches, long tasks while typing (${COUNT} customers); this build vs ${BASELINE_REF.slice(0, 10)}`, async () => {
    browser = await launchChromium();
    const runs = [await measureBuild('this build', undefined)];
    try {
      runs.push(await measureBuild(`baseline ${BASELINE_REF.slice(0, 10)}`, buildBaseline()));
    } catch (err) {
      console.log(`BENCH baseline ${BASELINE_REF} could not be built here (${err instanceof Error ? err.message.split('\n')[0] : String(err)}): ratios omitted`);
    }
    for (const r of runs) {
      const s = r.size;
      console.log(
        `BENCH renderer ${r.name.padEnd(22)} JS all ${kb(s.js.raw)} (gzip ${kb(s.js.gzip)}) in ${s.chunks} chunks; JS at start ${kb(s.startJs.raw)} (gzip ${kb(s.startJs.gzip)}); CSS ${kb(s.css.raw)} (gzip ${kb(s.css.gzip)})`,
      );
      report(summarise(`${r.name}: cold load -> first contentful paint`, r.loads.map((l) => l.fcp)), summarise(`${r.name}: cold load -> interactive (rows on screen)`, r.loads.map((l) => l.interactive)));
      console.log(`BENCH ${r.name}: JS heap ${kb(r.heap.before)} -> ${kb(r.heap.after)} after ${SWITCHES} page switches (growth ${kb(r.heap.after - r.heap.before)})`);
      console.log(`BENCH ${r.name}: typing in the customer search (${COUNT} customers): ${r.long.length} long tasks, longest ${r.long.length ? Math.max(...r.long).toFixed(0) : 0} ms [${r.long.map((d) => d.toFixed(0)).join(', ')}]`);
    }
    if (runs.length === 2) {
      const [now, base] = runs as [(typeof runs)[0], (typeof runs)[0]];
      const p50 = (xs: number[]) => summarise('', xs).p50;
      console.log(
        `BENCH ratio this build / baseline: JS at start gzip ${ratio(now.size.startJs.gzip, base.size.startJs.gzip)}, JS all gzip ${ratio(now.size.js.gzip, base.size.js.gzip)}, CSS gzip ${ratio(now.size.css.gzip, base.size.css.gzip)}, FCP p50 ${ratio(p50(now.loads.map((l) => l.fcp)), p50(base.loads.map((l) => l.fcp)))}, interactive p50 ${ratio(p50(now.loads.map((l) => l.interactive)), p50(base.loads.map((l) => l.interactive)))}`,
      );
    }
    const mine = runs[0]!;
    expect(mine.loads).toHaveLength(LOADS);
    // Page switches must not leak: the heap may not grow by more than a quarter over 30 switches.
    expect(mine.heap.after).toBeLessThan(mine.heap.before * 1.25);
  });
});
