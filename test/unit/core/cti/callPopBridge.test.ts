import { describe, expect, it } from 'vitest';
import { connectCallsToScreenPop } from '../../../../electron/core/cti/callPopBridge';
import { CoreEvents } from '../../../../electron/core/events';
import { createLogRoot, createMemorySink } from '../../../../electron/core/log/logger';
import type { CallSnapshot, PhoneState } from '../../../../shared/phone/call';

function call(id: string, state: CallSnapshot['state'], direction: CallSnapshot['direction'] = 'inbound'): CallSnapshot {
  return {
    id,
    sipCallId: `sip-${id}`,
    direction,
    remote: { number: '+8675588881234', displayName: '', uri: 'sip:+8675588881234@pbx', source: 'p-asserted-identity' },
    state,
    muted: false,
    remoteHold: false,
    waiting: false,
    times: { created: 1, holds: [] },
    headers: { 'X-Account': 'VIP-0001' },
    dtmfReceived: '',
  };
}
const phone = (...calls: CallSnapshot[]): PhoneState => ({
  registration: { state: 'registered', aor: 'sip:1001@x', since: 0, attempt: 0 },
  calls,
  doNotDisturb: false,
  mediaReady: true,
});

describe('connectCallsToScreenPop', () => {
  it('pops once on ring, once on answer, closes on end; outbound calls never pop', () => {
    const events = new CoreEvents();
    const seen: string[] = [];
    const sink = createMemorySink();
    connectCallsToScreenPop(
      events,
      { onCallEvent: (e, s) => void seen.push(`${e}:${s.callId}:${s.number}:${s.headers?.['X-Account']}`), callEnded: (id) => void seen.push(`end:${id}`) },
      createLogRoot([sink]).createLogger('cti'),
    );
    events.emit('phone:state', phone(call('a', 'ringing'), call('o', 'ringing', 'outbound')));
    events.emit('phone:state', phone(call('a', 'ringing')));
    events.emit('phone:state', phone(call('a', 'active')));
    events.emit('phone:state', phone(call('a', 'held')));
    events.emit('phone:state', phone(call('a', 'ended')));
    expect(seen).toEqual(['ring:a:+8675588881234:VIP-0001', 'answer:a:+8675588881234:VIP-0001', 'end:a']);
  });

  it('a failing pop is logged and does not break the next call', () => {
    const events = new CoreEvents();
    const sink = createMemorySink();
    let calls = 0;
    connectCallsToScreenPop(events, { onCallEvent: () => { calls++; throw new Error('db locked'); }, callEnded: () => undefined }, createLogRoot([sink]).createLogger('cti'));
    events.emit('phone:state', phone(call('a', 'ringing')));
    events.emit('phone:state', phone(call('a', 'ringing'), call('b', 'ringing')));
    expect(calls).toBe(2);
    expect(sink.records.filter((r) => r.msg === 'screen pop failed')).toHaveLength(2);
  });
});
