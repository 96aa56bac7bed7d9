import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CustomerRepository } from '../../electron/core/customer/customerRepository';
import { CustomerService } from '../../electron/core/customer/customerService';
import { seedDemoCustomers } from '../../electron/core/customer/demoData';
import { createLogRoot } from '../../electron/core/log/logger';
import { openDatabase, readSchemaVersion } from '../../electron/core/store/database';
import { MIGRATIONS } from '../../electron/core/store/migrations';
import { openAgent, type Agent } from '../helpers/agentPage';
import { tempDataDir } from '../helpers/hostProcess';
import { startTelephonyRig, type TelephonyRig } from '../helpers/telephonyRig';
import { benchSize, report, summarise } from './harness';

// INVITE received by the core -> the customer's name painted on the screen pop, with the agent's
// local cache holding CALLDESK_BENCH_CUSTOMERS customers (1M by default). Real Kamailio, the built
// browser host and Chromium. The database is seeded once into a temp file and copied per run.
const COUNT = benchSize('CALLDESK_BENCH_CUSTOMERS', 50_000, 1_000_000);
const CALLS = 20;
const SCHEMA = MIGRATIONS.reduce((m, x) => Math.max(m, x.version), 0);
const DIR = path.join(os.tmpdir(), 'calldesk-bench');
const FILE = path.join(DIR, `screenpop-${COUNT}-v${SCHEMA}.sqlite`);

let rig: TelephonyRig | undefined;
let agent: Agent | undefined;

afterAll(async () => {
  await agent?.close();
  await rig?.close();
});

/** A customer database with the showcase customers (张伟 stored as "0755-8888 1234") plus COUNT generated ones. */
function seededDatabase(): string {
  fs.mkdirSync(DIR, { recursive: true });
  if (fs.existsSync(FILE)) {
    const db = openDatabase({ file: FILE });
    const ok = readSchemaVersion(db) === SCHEMA && new CustomerRepository(db).count() >= COUNT;
    db.close();
    if (ok) return FILE;
    for (const f of [FILE, `${FILE}-wal`, `${FILE}-shm`]) fs.rmSync(f, { force: true });
  }
  const db = openDatabase({ file: FILE });
  db.pragma('synchronous = OFF');
  const logger = createLogRoot([]).createLogger('bench');
  const service = new CustomerService(new CustomerRepository(db), { now: () => Date.now() }, { phone: () => ({ defaultRegion: 'CN', pbxPrefixes: [] }), dormantDays: () => 90 }, logger);
  const started = performance.now();
  seedDemoCustomers(service, COUNT, { seed: 4, batchSize: 10_000 });
  console.log(`BENCH screen pop database: ${COUNT} customers seeded in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return FILE;
}

describe('screen pop latency', () => {
  it(`INVITE received by the core -> customer card painted (${COUNT} customers in the local cache)`, async () => {
    const dataDir = tempDataDir('agent-');
    fs.copyFileSync(seededDatabase(), path.join(dataDir, 'calldesk.sqlite'));
    rig = await startTelephonyRig();
    agent = await openAgent(rig.browser, { wsUrl: rig.pbx.wsUrl, user: '1001', password: 'pw1001', dataDir });
    const customer = await rig.customer('2001');
    const page = agent.page;
    const painted: number[] = [];
    const lookups: number[] = [];
    for (let i = 0; i < CALLS; i++) {
      await page.evaluate(() => {
        const w = window as unknown as { popAt?: number; obs?: MutationObserver };
        w.popAt = undefined;
        w.obs?.disconnect();
        w.obs = new MutationObserver(() => {
          if (w.popAt === undefined && document.querySelector('[data-testid=pop-name]')?.textContent === '张伟') w.popAt = Date.now();
        });
        w.obs.observe(document.body, { subtree: true, childList: true, characterData: true });
      });
      const lines = () => agent!.host.output().split('\n');
      const invitesBefore = lines().filter((l) => l.includes('incoming call')).length;
      const popsBefore = lines().filter((l) => l.includes('screen pop')).length;
      await customer.call('1001', ['P-Asserted-Identity: <sip:+8675588881234@calldesk.test;user=phone>']);
      await page.waitForFunction(() => (window as unknown as { popAt?: number }).popAt !== undefined, null, { timeout: 10_000 });
      const popAt = await page.evaluate(() => (window as unknown as { popAt: number }).popAt);
      expect(await page.getByTestId('call-card').getAttribute('data-call-state')).toBe('ringing');
      const invite = lines().filter((l) => l.includes('incoming call'))[invitesBefore]!;
      painted.push(popAt - Date.parse(invite.slice(0, 24)));
      const pop = lines().filter((l) => l.includes('screen pop'))[popsBefore];
      const ms = pop ? /"ms":(\d+)/.exec(pop) : null;
      if (ms) lookups.push(Number(ms[1]));
      await customer.hangup();
      await expect.poll(() => page.getByTestId('call-card').count(), { timeout: 10_000 }).toBe(0);
      await page.getByTestId('pop-dismiss').click();
    }
    report(summarise(`INVITE in core -> card painted (${COUNT} customers)`, painted), summarise('screen pop lookup in the core (log, whole ms)', lookups));
    expect(painted).toHaveLength(CALLS);
  });
});
