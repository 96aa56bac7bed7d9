import { vi } from 'vitest';
import type { CallSnapshot } from '../../shared/phone/call';
import { parseCallerIdentity } from '../../shared/phone-number/callerId';

/** A ringing inbound call from +8613800138000 as the phone store holds it; `patch` overrides fields. */
export function ringingCall(patch: Partial<CallSnapshot> = {}): CallSnapshot {
  const now = Date.now();
  return {
    id: 'c1',
    sipCallId: 's1',
    direction: 'inbound',
    remote: { number: '+8613800138000', displayName: '', uri: 'sip:+8613800138000@x', source: 'from' },
    caller: parseCallerIdentity({ from: '<sip:+8613800138000@x>' }),
    state: 'ringing',
    muted: false,
    remoteHold: false,
    waiting: false,
    times: { created: now, ringing: now, holds: [] },
    headers: {},
    dtmfReceived: '',
    ...patch,
  } as unknown as CallSnapshot;
}

/** The call card's action callbacks, each a spy. */
export function callCardActions() {
  return { answer: vi.fn(), reject: vi.fn(), hangup: vi.fn(), hold: vi.fn(), resume: vi.fn(), mute: vi.fn(), dtmf: vi.fn(), transferBlind: vi.fn(), consult: vi.fn(), transferTo: vi.fn(), swap: vi.fn() };
}
