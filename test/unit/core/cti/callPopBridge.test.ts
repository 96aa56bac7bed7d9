import { describe, expect, it } from 'vitest';
import { connectCallsToScreenPop } from '../../../../electron/core/cti/callPopBridge';
import { CoreBus } from '../../../../electron/core/bus/coreBus';
import { createLogRoot, createMemorySink } from '../../../../electron/core/log/logger';
import { CallAnswered, CallEnded, CallHeld, CallRinging } from '../../../../electron/core/phone/callEvents';
import type { CallSnapshot } from '../../../../shared/phone/call';
import { parseCallerIdentity } from '../../../../shared/phone-number/callerId';

function call(id: string, state: CallSnapshot['state'], direction: CallSnapshot['direction'] = 'inbound'): CallSnapshot {
  return {
    id,
    sipCallId: `sip-${id}`,
    direction,
    remote: { number: '+8675588881234', displayName: '', uri: 'sip:+8675588881234@pbx', source: 'p-asserted-identity' },
    caller: parseCallerIdentity({ pAssertedIdentity: '<sip:+8675588881234@pbx>' }),
    state,
    muted: false,
    remoteHold: false,
    waiting: false,
    times: { created: 1, holds: [] },
    headers: { 'X-Account': 'VIP-0001' },
    dtmfReceived: '',
  };
}
const ended = (c: CallSnapshot) => ({ call: c, at: 2, reason: { reason: 'remote-hangup' as const }, times: c.times });

describe('connectCallsToScreenPop', () => {
  it('pops once on ring, once on answer, closes on end; outbound calls never pop', () => {
    const events = new CoreBus();
    const seen: string[] = [];
    const sink = createMemorySink();
    connectCallsToScreenPop(
      events,
      { onCallEvent: (e, s) => void seen.push(`${e}:${s.callId}:${s.number}:${s.headers?.['X-Account']}`), callEnded: (id) => void seen.push(`end:${id}`) },
      createLogRoot([sink]).createLogger('cti'),
    );
    events.emit(CallRinging, { call: call('a', 'ringing'), at: 1 });
    events.emit(CallRinging, { call: call('o', 'ringing', 'outbound'), at: 1 });
    events.emit(CallAnswered, { call: call('a', 'active'), at: 1 });
    events.emit(CallAnswered, { call: call('o', 'active', 'outbound'), at: 1 });
    events.emit(CallHeld, { call: call('a', 'held'), at: 1 });
    events.emit(CallEnded, ended(call('a', 'ended')));
    events.emit(CallEnded, ended(call('o', 'ended', 'outbound')));
    expect(seen).toEqual(['ring:a:+8675588881234:VIP-0001', 'answer:a:+8675588881234:VIP-0001', 'end:a']);
  });

  it('a failing pop is logged and does not break the next call', () => {
    const events = new CoreBus();
    const sink = createMemorySink();
    let calls = 0;
    connectCallsToScreenPop(events, { onCallEvent: () => { calls++; throw new Error('db locked'); }, callEnded: () => undefined }, createLogRoot([sink]).createLogger('cti'));
    events.emit(CallRinging, { call: call('a', 'ringing'), at: 1 });
    events.emit(CallRinging, { call: call('b', 'ringing'), at: 1 });
    expect(calls).toBe(2);
    expect(sink.records.filter((r) => r.msg === 'screen pop failed')).toHaveLength(2);
  });
});
