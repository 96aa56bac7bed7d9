import { describe, expect, it } from 'vitest';
import { callDurations, interactionCorrectSchema } from '../../../../shared/interaction/interaction';

describe('call durations from SIP timestamps', () => {
  it('splits an answered inbound call into ring, talk and hold to the millisecond', () => {
    const d = callDurations({
      direction: 'inbound',
      times: { created: 1000, ringing: 1010, answered: 6010, holds: [{ start: 10_000, end: 15_500 }, { start: 20_000, end: 21_000 }], ended: 40_010 },
    });
    expect(d).toEqual({ offeredAt: 1010, answeredAt: 6010, endedAt: 40_010, ringMs: 5000, holdMs: 6500, talkMs: 34_000 - 6500 });
  });

  it('closes an open hold at the end of the call and never counts hold after it', () => {
    const d = callDurations({ direction: 'outbound', times: { created: 0, answered: 1000, holds: [{ start: 5000 }], ended: 9000 } });
    expect(d).toMatchObject({ offeredAt: 0, holdMs: 4000, talkMs: 4000, ringMs: 1000 });
  });

  it('gives an unanswered call its ringing time and no talk time', () => {
    expect(callDurations({ direction: 'inbound', times: { created: 0, ringing: 0, holds: [], ended: 30_000 } })).toMatchObject({ answeredAt: null, ringMs: 30_000, talkMs: 0, holdMs: 0 });
  });

  it('takes a live call as ending now', () => {
    expect(callDurations({ direction: 'inbound', times: { created: 0, ringing: 0, answered: 2000, holds: [] } }, 5000)).toMatchObject({ endedAt: 5000, talkMs: 3000 });
  });

  it('requires a reason and at least one change for a correction', () => {
    expect(interactionCorrectSchema.safeParse({ id: 'a', reason: '', changes: { notes: 'x' } }).success).toBe(false);
    expect(interactionCorrectSchema.safeParse({ id: 'a', reason: 'typo', changes: {} }).success).toBe(false);
    expect(interactionCorrectSchema.safeParse({ id: 'a', reason: 'typo', changes: { notes: 'x' } }).success).toBe(true);
  });
});
