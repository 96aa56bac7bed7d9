import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../../electron/core/createCore';
import { AppError } from '../../../../shared/api/result';
import { SyncEngine, type SyncServer } from '../../../../electron/core/sync/syncEngine';
import type { Customer } from '../../../../shared/customer/schema';
import type { PullChange, PullResponse, SyncMutation } from '../../../../shared/sync/protocol';
import { createTestCore } from '../../../helpers/testCore';
import { serverCustomer, testMirror } from '../../../helpers/testMirror';

// A first sync through the real engine and mirror, from a fake server that pages its changes:
// every customer ends up searchable by name, phone and pinyin; a local change still waiting to be
// pushed is not overwritten; and the next page is asked for while the current one is written.

let core: Core | undefined;
let engine: SyncEngine | undefined;
afterEach(async () => {
  await engine?.stop();
  await core?.close();
  core = engine = undefined;
});


async function firstSync(records: Customer[], pageSize: number, before?: (c: Core) => void) {
  core = (await createTestCore()).core;
  const c = core;
  before?.(c);
  const mirror = testMirror(c);
  const timeline: string[] = [];
  const changes: PullChange[] = records.map((r, i) => ({ changeId: i + 1, entity: 'customer', id: String(r.id), op: 'upsert', record: r }));
  const api: SyncServer = {
    signedIn: true,
    accessToken: null,
    baseUrl: 'http://127.0.0.1:9',
    // Pushes fail (the engine retries later): only the pull is under test, local changes stay unsent.
    push: async (_clientId: string, _m: SyncMutation[]) => {
      throw new AppError('UNAVAILABLE', 'push refused by the test server');
    },
    pull: async (cursor: number, limit = 1000): Promise<PullResponse> => {
      timeline.push(`pull ${cursor}`);
      const page = changes.filter((ch) => ch.changeId > cursor).slice(0, Math.min(limit, pageSize));
      const last = page.at(-1)?.changeId ?? cursor;
      await new Promise((resolve) => setTimeout(resolve, 5));
      return { changes: page, cursor: last, latest: changes.length, hasMore: last < changes.length };
    },
  };
  let cursor = 0;
  engine = new SyncEngine({
    api,
    outbox: c.workflow.outbox,
    cursor: { get: () => cursor, set: (v) => (cursor = v) },
    clock: { now: () => Date.now() },
    logger: c.logger('sync'),
    applyChanges: (page) => {
      timeline.push(`apply ${page[0]!.changeId}-${page.at(-1)!.changeId}`);
      mirror.applyPulled(page);
    },
  });
  engine.start();
  await expect.poll(() => cursor, { timeout: 20_000 }).toBe(changes.length);
  return { core: c, timeline, cursor: () => cursor };
}

const codesFor = (c: Core, query: string) => c.customers.service.search({ query, limit: 50 }).items.map((i) => i.code);

describe('first sync', { timeout: 60_000 }, () => {
  it('makes every pulled customer searchable by name, phone (as dialled, national, E.164) and pinyin, bound to its server id', async () => {
    const records = [
      ...Array.from({ length: 2400 }, (_, i) => serverCustomer(i + 1)),
      serverCustomer(5001, { name: '张伟', code: 'ZW-1', phones: [{ raw: '0755-8888 1234', e164: '+8675588881234', extension: null, label: 'work', primary: true }] }),
      serverCustomer(5002, { name: '欧阳娜娜', code: 'OY-1', phones: [{ raw: '+86 138 0013 8000', e164: '+8613800138000', extension: null, label: 'mobile', primary: true }] }),
      // No key from the server: the desktop normalises the number itself.
      serverCustomer(5003, { name: '李娜', code: 'LN-1', phones: [{ raw: '020-3999 1234', e164: null, extension: null, label: 'work', primary: true }] }),
    ];
    const { core: c } = await firstSync(records, 1000);
    expect(c.customers.service.repository.count()).toBe(records.length);
    expect(codesFor(c, '客户2399')).toEqual(['S002399']);
    expect(codesFor(c, '13900001234')).toEqual(['S001234']);
    expect(codesFor(c, '张伟')).toEqual(['ZW-1']);
    expect(codesFor(c, 'zhangwei')).toEqual(['ZW-1']);
    expect(codesFor(c, 'oynn')).toEqual(['OY-1']);
    expect(codesFor(c, '0755-8888 1234')).toEqual(['ZW-1']);
    expect(codesFor(c, '75588881234')).toEqual(['ZW-1']);
    expect(codesFor(c, '13800138000')).toEqual(['OY-1']);
    expect(codesFor(c, '+8613800138000')).toEqual(['OY-1']);
    expect(codesFor(c, '02039991234')).toEqual(['LN-1']);
    expect(c.customers.service.lookupCaller({ number: '+8675588881234' }).matches.map((m) => m.code)).toEqual(['ZW-1']);
    expect(c.customers.service.lookupCaller({ number: '+862039991234' }).matches.map((m) => m.code)).toEqual(['LN-1']);
    const local = c.customers.service.findByCode('S000042')!;
    expect(c.customers.service.serverIdOf(local.id)).toBe(42);
    expect(c.customers.service.localIdOf(5001)).toBe(c.customers.service.findByCode('ZW-1')!.id);
    expect(c.workflow.outbox.unsent(10).filter((e) => e.entity === 'customer')).toHaveLength(0);
  });

  it('does not overwrite a customer whose local change still waits to be pushed', async () => {
    let localId = 0;
    const { core: c } = await firstSync([serverCustomer(1), serverCustomer(2, { code: 'MINE-1', name: 'Server name' }), serverCustomer(3)], 2, (core) => {
      const mine = core.customers.service.save({ code: 'MINE-1', name: 'Agent typed this' });
      core.customers.service.bindToServer(mine.id, 2);
      core.customers.service.save({ ...mine, name: 'Agent typed this again', phones: [], emails: [], addresses: [] });
      localId = mine.id;
    });
    expect(c.customers.service.get(localId).name).toBe('Agent typed this again');
    expect(c.customers.service.localIdOf(2)).toBe(localId);
    expect(codesFor(c, '客户3')).toEqual(['S000003']);
  });

  it('writes a large page in slices of 250 with the event loop free between them', async () => {
    const { timeline } = await firstSync(
      Array.from({ length: 600 }, (_, i) => serverCustomer(i + 1)),
      600,
    );
    expect(timeline.filter((t) => t.startsWith('apply'))).toEqual(['apply 1-250', 'apply 251-500', 'apply 501-600']);
  });

  it('asks the server for the next page before writing the current one', async () => {
    const { timeline } = await firstSync(
      Array.from({ length: 12 }, (_, i) => serverCustomer(i + 1)),
      5,
    );
    // Page 2 (cursor 5) is requested before page 1 is written, page 3 before page 2.
    expect(timeline.indexOf('pull 5')).toBeLessThan(timeline.indexOf('apply 1-5'));
    expect(timeline.indexOf('pull 10')).toBeLessThan(timeline.indexOf('apply 6-10'));
    expect(timeline.filter((t) => t.startsWith('apply'))).toEqual(['apply 1-5', 'apply 6-10', 'apply 11-12']);
  });
});
