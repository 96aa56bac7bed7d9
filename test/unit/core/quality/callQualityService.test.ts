import { describe, expect, it } from 'vitest';
import { CoreEvents } from '../../../../electron/core/events';
import { CallQualityService } from '../../../../electron/core/quality/callQualityService';
import type { PhoneState } from '../../../../shared/phone/call';

const sample = (mos: number) => ({ at: 0, rttMs: 10, jitterMs: 1, loss: 0, bitrateKbps: 30, codec: 'opus', mos });
const phone = (state: 'active' | 'ended'): PhoneState =>
  ({
    registration: { state: 'registered', aor: '', since: 0, attempt: 0 },
    doNotDisturb: false,
    mediaReady: true,
    calls: [{ id: 'c1', state, direction: 'inbound', times: { created: 0, holds: [] } }],
  }) as unknown as PhoneState;

describe('CallQualityService', () => {
  it('keeps samples while the call lives and its summary after it ends', () => {
    const events = new CoreEvents();
    const q = new CallQualityService(events);
    q.record('c1', sample(4.4));
    q.record('c1', sample(4.0));
    events.emit('phone:state', phone('active'));
    expect(q.summary('c1')).toMatchObject({ samples: 2, mosAvg: 4.2, mosMin: 4 });
    events.emit('phone:state', phone('ended'));
    q.record('c2', sample(3));
    expect(q.summary('c1')).toMatchObject({ samples: 2, mosAvg: 4.2 });
    expect(q.summary('unknown')).toBeNull();
  });
});
