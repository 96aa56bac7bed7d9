import iconv from 'iconv-lite';
import { afterEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../../electron/core/createCore';
import type { ScreenPopResult } from '../../../../shared/customer/screenPop';
import { createFakeNotifier } from '../../../fakes/adapters';
import { createTestCore } from '../../../helpers/testCore';

let core: Core | undefined;
afterEach(async () => {
  await core?.close();
  core = undefined;
});

async function start() {
  const notifier = createFakeNotifier();
  const made = await createTestCore({ adapters: { notifier } });
  core = made.core;
  const invoke = (channel: string, payload?: unknown) => made.core.dispatcher.invoke(channel, payload, { transport: 'ws' });
  return { core: made.core, notifier, invoke };
}

describe('customer channels through the core dispatcher', () => {
  it('saves, gets, searches and reassigns', async () => {
    const { invoke } = await start();
    const saved = await invoke('customer:save', { name: '张伟', ownerId: 'agent-1', phones: [{ raw: '0755-8888 1234' }] });
    expect(saved).toMatchObject({ ok: true, value: { name: '张伟', code: 'C00000001' } });
    const id = (saved as { value: { id: number } }).value.id;
    expect(await invoke('customer:get', { id })).toMatchObject({ ok: true, value: { id } });
    expect(await invoke('customer:search', { query: 'zw' })).toMatchObject({ ok: true, value: { total: 1 } });
    expect(await invoke('customer:reassign', { id, ownerId: 'agent-2', changedBy: 'sup' })).toMatchObject({
      ok: true,
      value: { customer: { ownerId: 'agent-2' }, change: { fromOwnerId: 'agent-1', toOwnerId: 'agent-2' } },
    });
    expect(await invoke('customer:owner-history', { id })).toMatchObject({ ok: true, value: [{ toOwnerId: 'agent-2' }] });
  });

  it('answers typed errors: invalid payload, not found, conflict', async () => {
    const { invoke } = await start();
    expect(await invoke('customer:save', { name: '' })).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    expect(await invoke('customer:save', { name: 'Bob', phones: [{ raw: '12' }] })).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    expect(await invoke('customer:get', { id: 99 })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    await invoke('customer:save', { code: 'A', name: 'A' });
    expect(await invoke('customer:save', { code: 'A', name: 'B' })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
  });

  it('never errors on SQL and FTS syntax in the search box', async () => {
    const { invoke } = await start();
    await invoke('customer:save', { name: "O'Brien" });
    for (const query of ["' \" * ( ) OR NEAR -- ; ^ -", '"', '*', 'NEAR(', "'; DROP TABLE customers; --"]) {
      expect(await invoke('customer:search', { query })).toMatchObject({ ok: true });
    }
    expect(await invoke('customer:search', { query: "o'brien" })).toMatchObject({ ok: true, value: { total: 1 } });
  });

  it('looks up a caller by number or headers', async () => {
    const { invoke } = await start();
    await invoke('customer:save', { name: '张伟', phones: [{ raw: '0755-8888 1234' }] });
    expect(await invoke('customer:lookup-caller', { from: '<sip:+8675588881234@pbx>' })).toMatchObject({
      ok: true,
      value: { caller: { kind: 'number', e164: '+8675588881234', display: '0755 8888 1234' }, matches: [{ name: '张伟' }] },
    });
  });

  it('stores a short code on a customer and pops it on an exact match only', async () => {
    const { core, invoke } = await start();
    expect(await invoke('customer:save', { name: '招商银行', phones: [{ raw: '95588', label: 'work' }] })).toMatchObject({ ok: true, value: { phones: [{ raw: '95588', e164: '95588' }] } });
    expect(await invoke('customer:lookup-caller', { number: '95588' })).toMatchObject({ ok: true, value: { caller: { kind: 'number', e164: '95588', display: '95588' }, matches: [{ name: '招商银行' }] } });
    expect(core.customers.screenPop.popManually({ callId: 'sc', from: '<sip:95588@trunk>' })).toMatchObject({ kind: 'match', customer: { name: '招商银行' } });
    expect(await invoke('customer:lookup-caller', { number: '+8695588' })).toMatchObject({ ok: true, value: { matches: [] } });
    expect(await invoke('customer:lookup-caller', { number: '955880' })).toMatchObject({ ok: true, value: { matches: [] } });
    expect(await invoke('customer:search', { query: '95588' })).toMatchObject({ ok: true, value: { total: 1 } });
  });

  it('looks up a plain number in every format the normaliser reads', async () => {
    const { invoke } = await start();
    await invoke('customer:save', { name: '张伟', phones: [{ raw: '0755-8888 1234' }, { raw: '+86 138 0013 8000' }, { raw: '+1 212 555 0123' }] });
    for (const number of ['0755-8888 1234 转 8012', '(+86) 138 0013 8000', '１３８００１３８０００', '+1 212 555 0123 x12']) {
      expect(await invoke('customer:lookup-caller', { number }), number).toMatchObject({ ok: true, value: { caller: { kind: 'number' }, matches: [{ name: '张伟' }] } });
    }
  });

  it('pops on ringing: emits customer:pop, brings the window forward and notifies with the name', async () => {
    const { core, notifier } = await start();
    core.customers.service.save({ name: '张伟', company: '腾飞科技', phones: [{ raw: '0755-8888 1234' }] });
    const pops: ScreenPopResult[] = [];
    core.events.on('customer:pop', (p) => pops.push(p));
    core.customers.screenPop.onCallEvent('ring', { callId: 'call-1', from: '<sip:+8675588881234@pbx>' });
    expect(pops).toMatchObject([{ kind: 'match', customer: { name: '张伟' } }]);
    expect(notifier.focused).toBe(1);
    expect(notifier.shown).toEqual([{ title: '张伟', body: '腾飞科技 · 0755 8888 1234' }]);
  });

  it('pops a hostile caller: the number is read, quick-create gets the plain name, the notification is plain and bounded', async () => {
    const { core, notifier } = await start();
    const name = `Evil <x> \u202E name ${'y'.repeat(1900)}`;
    const pops: ScreenPopResult[] = [];
    core.events.on('customer:pop', (p) => pops.push(p));
    core.customers.screenPop.onCallEvent('ring', { callId: 'call-h', from: `"${name}" <sip:+8613800138000@pbx>;tag=1` });
    const pop = pops[0];
    expect(pop).toMatchObject({ kind: 'none', caller: { kind: 'number', e164: '+8613800138000' } });
    const prefill = pop?.kind === 'none' ? pop.prefill : null;
    expect(prefill?.phone).toBe('138 0013 8000');
    expect(prefill?.name).toMatch(/^Evil <x> name y+…$/);
    expect(prefill?.name).toHaveLength(200);
    const [note] = notifier.shown;
    expect(note?.title).toBe('138 0013 8000');
    expect(note?.body).toMatch(/^Evil <x> name y+…$/);
    expect(note?.body).toHaveLength(200);
  });

  it('carries the display name the phone read into the quick-create prefill', async () => {
    const { core } = await start();
    const pop = core.customers.screenPop.popManually({ callId: 'c2', number: '+8613800138000', from: 'sip:+8613800138000@pbx', displayName: '李\u202E四' });
    expect(pop).toMatchObject({ kind: 'none', prefill: { name: '李四', phone: '138 0013 8000' }, caller: { displayName: '李四' } });
  });

  it('customer:pop-choose turns a pop into the chosen customer\'s card and emits it (the workflow logs the call against them)', async () => {
    const { core, invoke, notifier } = await start();
    const a = core.customers.service.save({ name: '李娜', phones: [{ raw: '+86 138 0013 8000' }] });
    core.customers.service.save({ name: '王强', phones: [{ raw: '13800138000' }] });
    const pops: ScreenPopResult[] = [];
    core.events.on('customer:pop', (p) => pops.push(p));
    const first = core.customers.screenPop.onCallEvent('ring', { callId: 'call-9', number: '+8613800138000' })!;
    expect(first.kind).toBe('multiple');
    const chosen = await invoke('customer:pop-choose', { callId: 'call-9', customerId: a.id, caller: first.caller, headers: first.headers });
    expect(chosen).toMatchObject({ ok: true, value: { kind: 'match', callId: 'call-9', customer: { id: a.id, name: '李娜' }, caller: first.caller } });
    expect(pops.at(-1)).toMatchObject({ kind: 'match', callId: 'call-9', customer: { id: a.id } });
    // The agent's own choice does not notify again.
    expect(notifier.shown).toHaveLength(1);
    expect(await invoke('customer:pop-choose', { callId: 'call-9', customerId: 99999, caller: first.caller, headers: [] })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('follows the screenPop.trigger setting', async () => {
    const { core, invoke } = await start();
    expect(await invoke('settings:set', { key: 'screenPop.trigger', value: 'answer' })).toMatchObject({ ok: true });
    expect(core.customers.screenPop.onCallEvent('ring', { callId: 'x', number: '13800138000' })).toBeNull();
    expect(core.customers.screenPop.onCallEvent('answer', { callId: 'x', number: '13800138000' })).toMatchObject({ kind: 'none' });
    expect(await invoke('customer:screen-pop', { callId: 'y', number: '13800138000' })).toMatchObject({ ok: true, value: { kind: 'none', trigger: 'manual' } });
  });

  it('imports a GBK CSV and exports it again', async () => {
    const { invoke } = await start();
    const csv = iconv.encode('客户编号,姓名,手机\nK1,李娜,138 0013 8000\nK2,,13900000000\n', 'gbk');
    const report = await invoke('customer:import-csv', { contentBase64: csv.toString('base64') });
    expect(report).toMatchObject({ ok: true, value: { encoding: 'gb18030', created: 1, rejected: 1, rejectedRows: [{ line: 3, code: 'K2' }] } });
    const exported = await invoke('customer:export-csv', { encoding: 'utf-8-bom' });
    expect(exported).toMatchObject({ ok: true, value: { rows: 1 } });
    const text = Buffer.from((exported as { value: { contentBase64: string } }).value.contentBase64, 'base64').toString('utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(text).toContain('李娜');
  });

  it('seeds demo customers into the empty database', async () => {
    const { core, invoke } = await start();
    expect(core.customers.seedDemo(200, { seed: 5 })).toBeGreaterThan(200);
    expect(await invoke('customer:lookup-caller', { number: '+86 755 88881234' })).toMatchObject({ ok: true, value: { matches: [{ code: 'VIP-0001' }] } });
  });
});
