import { describe, expect, it } from 'vitest';
import { ScreenPopService } from '../../../../electron/core/customer/screenPopService';
import { createLogRoot } from '../../../../electron/core/log/logger';
import { DAY_MS } from '../../../../shared/customer/helpers';
import { DEFAULT_HEADER_MAPPINGS, screenPopResultSchema, type HeaderMapping, type ScreenPopResult, type ScreenPopTrigger } from '../../../../shared/customer/screenPop';
import { createTestCustomers } from './testService';
import { callIdentity } from '../../../../shared/phone-number/callerId';

function setup(opts: { trigger?: ScreenPopTrigger; mappings?: HeaderMapping[] } = {}) {
  // 2026-11-24 09:00 UTC = 17:00 in Shanghai
  const t = createTestCustomers({ now: Date.UTC(2026, 10, 24, 9, 0, 0) });
  const settings = { trigger: opts.trigger ?? ('ring' as ScreenPopTrigger), mappings: opts.mappings ?? DEFAULT_HEADER_MAPPINGS };
  const pop = new ScreenPopService(
    t.service,
    t.clock,
    { trigger: () => settings.trigger, headerMappings: () => settings.mappings, dormantDays: () => 90, utcOffsetMinutes: () => 480 },
    createLogRoot([]).createLogger('pop'),
  );
  const popped: ScreenPopResult[] = [];
  pop.onPop((r) => popped.push(r));
  return { ...t, pop, popped, settings };
}

describe('ScreenPopService.lookup', () => {
  it('pops the card of a customer stored as 0755-8888 1234 calling from +86 755 88881234', () => {
    const { service, pop, clock } = setup();
    const c = service.save({ name: '张伟', birthday: '1985-11-24', lastContactAt: clock.t - 120 * DAY_MS, phones: [{ raw: '0755-8888 1234' }] });
    const result = pop.lookup({ callId: 'c1', from: '"ZW" <sip:+8675588881234@pbx.example.com;user=phone>;tag=1' }, 'ring');
    expect(screenPopResultSchema.parse(result)).toEqual(result);
    expect(result).toMatchObject({
      kind: 'match',
      matchedBy: 'phone',
      trigger: 'ring',
      caller: { kind: 'number', e164: '+8675588881234', display: '0755 8888 1234', displayName: 'ZW' },
      customer: { id: c.id, name: '张伟' },
      insight: { daysSinceLastContact: 120, dormant: true, birthday: 'today' },
    });
  });

  it('a call pops from the caller identity the phone parsed (on the snapshot), and no header is read again', () => {
    const { service, pop } = setup();
    const asserted = service.save({ name: '张伟', phones: [{ raw: '0755-8888 1234' }] });
    service.save({ name: '冒名', phones: [{ raw: '13900139000' }] });
    // What the phone put on the call snapshot when the INVITE came in: P-Asserted-Identity, Privacy: id.
    const caller = callIdentity('inbound', { pAssertedIdentity: '"ZW" <tel:+8675588881234>', from: '<sip:+8613900139000@pbx>;tag=1', privacy: 'id' }).caller;
    expect(caller).toEqual({
      candidates: [
        { source: 'p-asserted-identity', numberText: '+8675588881234', user: '+8675588881234', withheld: false },
        { source: 'from', numberText: '+8613900139000', user: '+8613900139000', withheld: false },
      ],
      privacyId: true,
      displayName: 'ZW',
      plain: null,
    });
    // A raw From that says otherwise is not parsed: the snapshot's identity decides.
    const result = pop.lookup({ callId: 'c-snap', caller, from: '<sip:+8613900139000@pbx>' }, 'ring');
    expect(result).toMatchObject({ kind: 'match', customer: { id: asserted.id }, caller: { kind: 'number', e164: '+8675588881234', displayName: 'ZW' } });
  });

  it('offers a chooser ordered by last contact when several customers share the number', () => {
    const { service, pop } = setup();
    const older = service.save({ name: '王强', phones: [{ raw: '13800138000' }], lastContactAt: 1_000 });
    const recent = service.save({ name: '李娜', phones: [{ raw: '+86 138 0013 8000' }], lastContactAt: 9_000 });
    const result = pop.lookup({ callId: 'c2', pAssertedIdentity: '<tel:+8613800138000>', from: '<sip:anonymous@anonymous.invalid>' });
    expect(result.kind).toBe('multiple');
    if (result.kind !== 'multiple') throw new Error('unreachable');
    expect(result.candidates.map((c) => c.id)).toEqual([recent.id, older.id]);
  });

  it('prefills a quick-create form for an unknown number, and a customer created from it pops next time', () => {
    const { service, pop } = setup();
    const first = pop.lookup({ callId: 'c3', from: '"Mr Chen" <sip:13912345678@pbx>' });
    expect(first).toMatchObject({ kind: 'none', prefill: { name: 'Mr Chen', phone: '139 1234 5678' } });
    if (first.kind !== 'none') throw new Error('unreachable');
    const created = service.save({ name: first.prefill.name, phones: [{ raw: first.prefill.phone! }] });
    expect(pop.lookup({ callId: 'c4', from: '<sip:+8613912345678@pbx>' })).toMatchObject({ kind: 'match', customer: { id: created.id } });
  });

  it('sends a withheld caller to search', () => {
    const { pop } = setup();
    expect(pop.lookup({ callId: 'c5', from: '"Anonymous" <sip:anonymous@anonymous.invalid>;tag=9' })).toMatchObject({
      kind: 'withheld',
      caller: { kind: 'withheld', e164: null },
    });
  });

  it('matches by a mapped X-Account header before the number, and shows mapped headers', () => {
    const { service, pop } = setup();
    const account = service.save({ code: 'ACME-01', name: 'Alice Smith', phones: [{ raw: '+1 212 555 0123' }] });
    service.save({ name: 'Someone else', phones: [{ raw: '13800138000' }] });
    const result = pop.lookup({
      callId: 'c6',
      from: '<sip:13800138000@pbx>',
      headers: { 'x-account': 'acme-01', 'X-Queue': 'sales', 'X-IVR-Path': ['2'], 'X-Other': 'ignored' },
    });
    expect(result).toMatchObject({ kind: 'match', matchedBy: 'header', customer: { id: account.id } });
    expect(result.headers).toEqual([
      { header: 'X-Account', label: 'account', value: 'acme-01' },
      { header: 'X-Queue', label: 'queue', value: 'sales' },
      { header: 'X-IVR-Path', label: 'ivr', value: '2' },
    ]);
  });

  it('falls back to the number when the header names no customer, and matches by a phone header', () => {
    const { service, pop } = setup({ mappings: [{ header: 'X-Account', use: 'customer-code', label: 'account' }, { header: 'X-Original-Caller', use: 'phone', label: 'original' }] });
    const byNumber = service.save({ name: 'By number', phones: [{ raw: '13800138000' }] });
    const byHeader = service.save({ name: 'By header', phones: [{ raw: '010-6552 9988' }] });
    expect(pop.lookup({ callId: 'a', from: '<sip:13800138000@pbx>', headers: { 'X-Account': 'nope' } })).toMatchObject({ customer: { id: byNumber.id } });
    expect(pop.lookup({ callId: 'b', from: '<sip:13800138000@pbx>', headers: { 'X-Original-Caller': '+86 10 6552 9988' } })).toMatchObject({
      matchedBy: 'header',
      customer: { id: byHeader.id },
    });
  });

  it('treats an internal SIP user as unknown without a number to prefill', () => {
    const { pop } = setup();
    expect(pop.lookup({ callId: 'x', from: '"Reception" <sip:1001@pbx>' })).toMatchObject({ kind: 'none', prefill: { name: 'Reception', phone: null } });
  });
});

describe('ScreenPopService triggers', () => {
  const call = { callId: 'call-1', from: '<sip:13800138000@pbx>' };

  it('on ring (default): pops once on ringing, not again on answer', () => {
    const { pop, popped } = setup({ trigger: 'ring' });
    expect(pop.onCallEvent('ring', call)).not.toBeNull();
    expect(pop.onCallEvent('answer', call)).toBeNull();
    expect(popped).toHaveLength(1);
    expect(popped[0]?.trigger).toBe('ring');
  });

  it('on ring: still pops on answer when ringing was missed', () => {
    const { pop, popped } = setup({ trigger: 'ring' });
    pop.onCallEvent('answer', call);
    expect(popped.map((p) => p.trigger)).toEqual(['answer']);
  });

  it('on answer: ignores ringing and pops on answer', () => {
    const { pop, popped } = setup({ trigger: 'answer' });
    expect(pop.onCallEvent('ring', call)).toBeNull();
    expect(pop.onCallEvent('answer', call)).not.toBeNull();
    expect(popped).toHaveLength(1);
  });

  it('manual: never pops by itself, always when asked', () => {
    const { pop, popped } = setup({ trigger: 'manual' });
    expect(pop.onCallEvent('ring', call)).toBeNull();
    expect(pop.onCallEvent('answer', call)).toBeNull();
    expect(pop.popManually(call).trigger).toBe('manual');
    expect(popped).toHaveLength(1);
  });

  it('pops again for a new call after the previous one ended', () => {
    const { pop, popped } = setup();
    pop.onCallEvent('ring', call);
    pop.callEnded(call.callId);
    pop.onCallEvent('ring', call);
    expect(popped).toHaveLength(2);
  });

  it('keeps popping when a listener throws', () => {
    const { pop, popped } = setup();
    pop.onPop(() => {
      throw new Error('boom');
    });
    expect(pop.onCallEvent('ring', call)).not.toBeNull();
    expect(popped).toHaveLength(1);
  });
});
