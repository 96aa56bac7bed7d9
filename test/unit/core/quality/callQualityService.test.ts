import { describe, expect, it } from 'vitest';
import { CoreBus } from '../../../../electron/core/bus/coreBus';
import { CallAnswered, CallEnded } from '../../../../electron/core/phone/callEvents';
import { CallQualityService } from '../../../../electron/core/quality/callQualityService';
import type { CallSnapshot } from '../../../../shared/phone/call';

const sample = (mos: number) => ({ at: 0, rttMs: 10, jitterMs: 1, loss: 0, bitrateKbps: 30, codec: 'opus', mos });
const call = (state: 'active' | 'ended'): CallSnapshot => ({ id: 'c1', state, direction: 'inbound', times: { created: 0, holds: [] } }) as unknown as CallSnapshot;

describe('CallQualityService', () => {
  it('keeps samples while the call lives and its summary after it ends', () => {
    const events = new CoreBus();
    const q = new CallQualityService(events);
    q.record('c1', sample(4.4));
    q.record('c1', sample(4.0));
    events.emit(CallAnswered, { call: call('active'), at: 0 });
    expect(q.summary('c1')).toMatchObject({ samples: 2, mosAvg: 4.2, mosMin: 4 });
    events.emit(CallEnded, { call: call('ended'), at: 0, reason: { reason: 'remote-hangup' }, times: { created: 0, holds: [] } });
    q.record('c2', sample(3));
    expect(q.summary('c1')).toMatchObject({ samples: 2, mosAvg: 4.2 });
    expect(q.summary('unknown')).toBeNull();
  });
});
