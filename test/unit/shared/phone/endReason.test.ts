import { describe, expect, it } from 'vitest';
import { unansweredEnd } from '../../../../shared/phone/endReason';

describe('end reason of unanswered calls', () => {
  it('inbound calls never answered are missed', () => {
    expect(unansweredEnd('inbound', undefined, 'remote')).toEqual({ reason: 'missed' });
    expect(unansweredEnd('inbound', 487, undefined)).toEqual({ reason: 'missed', sipCode: 487 });
  });

  it('outbound: cancel, timeout, busy, decline and failures', () => {
    expect(unansweredEnd('outbound', 487, 'local')).toEqual({ reason: 'cancelled', sipCode: 487 });
    expect(unansweredEnd('outbound', 487, 'local-timeout')).toEqual({ reason: 'no-answer', sipCode: 487 });
    expect(unansweredEnd('outbound', 486, undefined)).toEqual({ reason: 'busy', sipCode: 486 });
    expect(unansweredEnd('outbound', 600, undefined)).toEqual({ reason: 'busy', sipCode: 600 });
    expect(unansweredEnd('outbound', 480, undefined)).toEqual({ reason: 'no-answer', sipCode: 480 });
    expect(unansweredEnd('outbound', 603, undefined)).toEqual({ reason: 'rejected', sipCode: 603 });
    expect(unansweredEnd('outbound', 404, undefined)).toEqual({ reason: 'failed', sipCode: 404 });
    expect(unansweredEnd('outbound', undefined, undefined)).toEqual({ reason: 'failed' });
  });
});
