import type Database from 'better-sqlite3';
import { build } from 'esbuild';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CustomerCsvService } from '../../electron/core/customer/customerCsvService';
import { customerToRow, stringifyRows } from '../../electron/core/customer/customerCsv';
import { CustomerRepository } from '../../electron/core/customer/customerRepository';
import { CustomerService } from '../../electron/core/customer/customerService';
import { seedDemoCustomers } from '../../electron/core/customer/demoData';
import { ScreenPopService } from '../../electron/core/customer/screenPopService';
import { createLogRoot } from '../../electron/core/log/logger';
import { openDatabase, readSchemaVersion } from '../../electron/core/store/database';
import { MIGRATIONS } from '../../electron/core/store/migrations';
import { DEFAULT_HEADER_MAPPINGS } from '../../shared/customer/screenPop';
import { benchSize, measure, report, summarise } from './harness';

// 1M generated customers by default (CALLDESK_BENCH_CUSTOMERS to change). The database is built
// once into a temp file and reused while the generator, the count and the schema stay the same.
const COUNT = benchSize('CALLDESK_BENCH_CUSTOMERS', 50_000, 1_000_000);
const SEED = 20261124;
const GENERATOR_VERSION = 2;
const SCHEMA = MIGRATIONS.reduce((m, x) => Math.max(m, x.version), 0);
const DIR = path.join(os.tmpdir(), 'calldesk-bench');
const FILE = path.join(DIR, `customers-${COUNT}-s${SEED}-g${GENERATOR_VERSION}-v${SCHEMA}.sqlite`);
const NOW = Date.UTC(2026, 0, 1);
const clock = { now: () => NOW };
const logger = createLogRoot([]).createLogger('bench');
const config = { phone: () => ({ defaultRegion: 'CN', pbxPrefixes: ['9'] }), dormantDays: () => 90 };

let db: Database.Database;
let service: CustomerService;

function fileSize(file: string): number {
  return [file, `${file}-wal`].reduce((sum, f) => sum + (fs.existsSync(f) ? fs.statSync(f).size : 0), 0);
}

function line(text: string): void {
  console.log(`BENCH ${text}`);
}

/**
 * Seeds with two threads: a worker generates and validates (zod, libphonenumber) while this thread
 * writes the previous batch. Same data and code paths as `seedDemoCustomers`, about twice as fast.
 */
async function seedInParallel(target: CustomerService, count: number): Promise<number> {
  const outfile = path.join(DIR, 'seed-worker.mjs');
  await build({
    entryPoints: [path.join(import.meta.dirname, 'customerSeedWorker.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    logLevel: 'silent',
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
  const { phone } = config;
  const worker = new Worker(outfile, { workerData: { count, seed: SEED, now: NOW, batchSize: 10_000, region: phone().defaultRegion, pbxPrefixes: phone().pbxPrefixes } });
  return new Promise<number>((resolve, reject) => {
    let written = 0;
    worker.on('message', (message: string) => {
      if (message === 'done') {
        void worker.terminate();
        resolve(written);
        return;
      }
      try {
        written += target.createPrepared(JSON.parse(message) as Parameters<CustomerService['createPrepared']>[0]);
        worker.postMessage('ack');
      } catch (err) {
        void worker.terminate();
        reject(err as Error);
      }
    });
    worker.on('error', reject);
  });
}

beforeAll(async () => {
  fs.mkdirSync(DIR, { recursive: true });
  let reuse = false;
  if (fs.existsSync(FILE)) {
    db = openDatabase({ file: FILE });
    reuse = readSchemaVersion(db) === SCHEMA && new CustomerRepository(db).count() >= COUNT;
    if (!reuse) {
      db.close();
      for (const f of [FILE, `${FILE}-wal`, `${FILE}-shm`]) fs.rmSync(f, { force: true });
    }
  }
  if (!reuse) {
    db = openDatabase({ file: FILE });
    db.pragma('synchronous = OFF');
    service = new CustomerService(new CustomerRepository(db), clock, config, logger);
    const started = performance.now();
    const written = await seedInParallel(service, COUNT);
    const seconds = (performance.now() - started) / 1000;
    db.pragma('synchronous = NORMAL');
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.exec('ANALYZE');
    line(`customers seed (generate + validate + normalise in a worker | insert + FTS here): ${written} rows in ${seconds.toFixed(1)} s = ${Math.round(written / seconds)} rows/s`);
  } else {
    line(`customers: reusing ${FILE}`);
  }
  service = new CustomerService(new CustomerRepository(db), clock, config, logger);
  const counts = db.prepare('SELECT (SELECT count(*) FROM customers) AS customers, (SELECT count(*) FROM customer_phones) AS phones').get() as { customers: number; phones: number };
  line(`customers database: ${counts.customers} customers, ${counts.phones} phones, ${(fileSize(FILE) / 1e6).toFixed(0)} MB on disk (${FILE})`);
}, 900_000);

afterAll(() => {
  db?.close();
});

function sample<T>(sql: string, n: number): T[] {
  const max = (db.prepare('SELECT max(id) AS m FROM customer_phones').get() as { m: number }).m;
  const stmt = db.prepare(sql);
  const out: T[] = [];
  let x = 12345;
  while (out.length < n) {
    x = (x * 1103515245 + 12345) % 2147483648;
    const row = stmt.get((x % max) + 1) as T | undefined;
    if (row !== undefined) out.push(row);
  }
  return out;
}

describe(`customers benchmarks (${COUNT} customers)`, () => {
  it('phone lookup', async () => {
    const phones = sample<{ e164: string; raw: string }>('SELECT e164, raw FROM customer_phones WHERE id = ? AND e164 IS NOT NULL', 5000);
    const repo = service.repository;
    let i = 0;
    const byKey = await measure('phone lookup by E.164 (index, summaries)', 5000, () => repo.findByE164(phones[i++ % phones.length]!.e164), 200);
    i = 0;
    const raw = await measure('caller lookup from a raw SIP From header', 5000, () => {
      const p = phones[i++ % phones.length]!;
      return service.lookupCaller({ from: `"x" <sip:${p.e164}@pbx.example.com;user=phone>;tag=1` });
    });
    i = 0;
    const misses = await measure('caller lookup, unknown number', 2000, () => service.lookupCaller({ number: `+86 139 ${String(10_000_000 + i++).slice(0, 4)} 0000` }));
    const pop = new ScreenPopService(
      service,
      clock,
      { trigger: () => 'ring', headerMappings: () => DEFAULT_HEADER_MAPPINGS, dormantDays: () => 90, utcOffsetMinutes: () => 480 },
      logger,
    );
    i = 0;
    const popFigures = await measure('screen pop in the core (headers -> card data)', 3000, () => {
      const p = phones[i++ % phones.length]!;
      return pop.lookup({ callId: `c${i}`, from: `<sip:${p.e164}@pbx>`, headers: { 'X-Queue': 'sales' } }, 'ring');
    });
    report(byKey, raw, misses, popFigures);
    expect(byKey.n).toBe(5000);
  }, 300_000);

  it('search type-ahead', async () => {
    const typed = [
      '张', '张伟', 'zh', 'zha', 'zhang', 'zhangw', 'zhangwei', 'z', 'zw', 'zwm', '欧阳', '欧阳娜',
      '王芳', 'wangf', 'li', 'lin', 'Smi', 'Smith', 'john', 'john smi', "O'Br", 'Acme', 'Globex Ltd',
      '腾飞', '腾飞科', '科技有限', '深圳市', 'D000', 'D0012345', '1380', '13800', '8888', '0755 8888',
      '+86 138', '@qq.com', 'foxmail', 'VIP', '投诉中', 'renewal', 'zzzz', '不存在的名字',
      "' \" * ( ) OR NEAR -- ; ^ -",
    ];
    const samples: number[] = [];
    const perQuery: Array<{ q: string; ms: number; total: number; capped: boolean }> = [];
    for (let round = 0; round < 6; round++) {
      for (const q of typed) {
        const t0 = performance.now();
        const r = service.search({ query: q, limit: 50 });
        const ms = performance.now() - t0;
        if (round > 0) samples.push(ms);
        if (round === 5) perQuery.push({ q, ms, total: r.total, capped: r.capped });
      }
    }
    const filtered: number[] = [];
    const filters = [
      { status: ['contracted' as const] },
      { level: ['vip' as const], dormant: true },
      { ownerId: ['agent-7'] },
      { lifecycleStage: ['lapsed' as const], type: ['company' as const] },
      { ownerId: [null], status: ['invalid' as const] },
    ];
    for (let round = 0; round < 6; round++) {
      for (const f of filters) {
        const t0 = performance.now();
        service.search({ query: '', filters: f, limit: 50 });
        if (round > 0) filtered.push(performance.now() - t0);
      }
    }
    const withFilter: number[] = [];
    for (let round = 0; round < 6; round++) {
      for (const [q, f] of [
        ['zhang', { status: ['contracted' as const] }],
        ['张伟', { status: ['contracted' as const] }],
        ['1380', { status: ['contracted' as const] }],
        ['smith', { level: ['vip' as const], dormant: true }],
        ['ang', { ownerId: ['agent-7'], status: ['invalid' as const] }],
        ['张 zhang', {}],
      ] as const) {
        const t0 = performance.now();
        service.search({ query: q, filters: f, limit: 50 });
        if (round > 0) withFilter.push(performance.now() - t0);
      }
    }
    report(summarise('search type-ahead (43 queries x 5 rounds, page of 50)', samples), summarise('search with filters only (list, ordered)', filtered), summarise('search text + filters (incl. rare filter, common term)', withFilter));
    const slow = [...perQuery].sort((a, b) => b.ms - a.ms).slice(0, 6);
    line(`slowest queries: ${slow.map((s) => `${JSON.stringify(s.q)} ${s.ms.toFixed(2)} ms (${s.total}${s.capped ? '+' : ''})`).join(', ')}`);
    expect(samples.length).toBe(typed.length * 5);
  }, 300_000);

  it('CSV import rows per second (fresh database)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'calldesk-bench-import-'));
    const target = openDatabase({ file: path.join(dir, 'import.sqlite') });
    try {
      const rows = benchSize('CALLDESK_BENCH_CSV_ROWS', 5_000, 20_000);
      const source = openDatabase({ file: ':memory:' });
      const sourceService = new CustomerService(new CustomerRepository(source), clock, config, logger);
      seedDemoCustomers(sourceService, rows, { seed: 99, now: NOW, showcase: false });
      const cells: string[][] = [];
      for (let id = 1; id <= rows; id++) cells.push(customerToRow(sourceService.get(id)));
      source.close();
      const bytes = Buffer.from(stringifyRows(cells, true), 'utf8');
      const targetService = new CustomerService(new CustomerRepository(target), clock, config, logger);
      const csv = new CustomerCsvService(targetService, clock, () => 90, logger);
      let t0 = performance.now();
      const first = await csv.importBytes(bytes);
      const firstS = (performance.now() - t0) / 1000;
      t0 = performance.now();
      const again = await csv.importBytes(bytes);
      const againS = (performance.now() - t0) / 1000;
      line(`csv import (create): ${first.created} rows in ${firstS.toFixed(1)} s = ${Math.round(first.created / firstS)} rows/s, ${(bytes.length / 1e6).toFixed(1)} MB file`);
      line(`csv import again (idempotent update): ${again.updated} rows in ${againS.toFixed(1)} s = ${Math.round(again.updated / againS)} rows/s`);
      t0 = performance.now();
      const exported = await csv.exportCsv({ encoding: 'utf-8-bom' });
      const exportS = (performance.now() - t0) / 1000;
      line(`csv export: ${exported.rows} rows in ${exportS.toFixed(1)} s = ${Math.round(exported.rows / exportS)} rows/s`);
      expect(first.created).toBe(rows);
      expect(again.created).toBe(0);
    } finally {
      target.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 600_000);
});
