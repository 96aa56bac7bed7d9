import { describe, expect, it } from 'vitest';
import { CallCustomers } from '../../../../electron/core/customer/callCustomers';
import { CoreEvents } from '../../../../electron/core/events';
import type { ScreenPopResult } from '../../../../shared/customer/screenPop';
import type { CallSnapshot } from '../../../../shared/phone/call';

const call = (id: string, number = '+8613800138000') => ({ id, remote: { number } }) as unknown as CallSnapshot;
const base = { trigger: 'ring' as const, caller: { kind: 'number' as const, e164: '+8613800138000', display: '138 0013 8000', displayName: null }, headers: [] };
const match = (callId: string, id: number) => ({ ...base, callId, kind: 'match', matchedBy: 'phone', customer: { id }, insight: { daysSinceLastContact: null, dormant: false, birthday: null } }) as unknown as ScreenPopResult;
const several = (callId: string) => ({ ...base, callId, kind: 'multiple', matchedBy: 'phone', candidates: [] }) as unknown as ScreenPopResult;

describe('CallCustomers (the one owner of "the customer of this call")', () => {
  it('takes the pop match, keeps it over a later pop without one, and falls back to a number lookup without a pop', () => {
    const events = new CoreEvents();
    const owner = new CallCustomers(events, (n) => (n === '+8613800138000' ? 7 : null));
    expect(owner.customerId(call('a'))).toBe(7);
    events.emit('customer:pop', several('b'));
    expect(owner.customerId(call('b'))).toBeNull();
    events.emit('customer:pop', match('b', 42));
    events.emit('customer:pop', several('b'));
    expect(owner.customerId(call('b'))).toBe(42);
    expect(owner.pop('b')).toMatchObject({ kind: 'match' });
    owner.close();
    events.emit('customer:pop', match('c', 1));
    expect(owner.pop('c')).toBeUndefined();
  });

  it('forgets the oldest calls beyond its bound', () => {
    const events = new CoreEvents();
    const owner = new CallCustomers(events);
    for (let i = 0; i < 250; i++) events.emit('customer:pop', match(`call-${i}`, i));
    expect(owner.pop('call-0')).toBeUndefined();
    expect(owner.customerId(call('call-249'))).toBe(249);
  });
});
