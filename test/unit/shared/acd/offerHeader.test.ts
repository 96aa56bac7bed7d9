import { describe, expect, it } from 'vitest';
import { formatQueueOffer, parseQueueOffer } from '../../../../shared/acd/offerHeader';

describe('the X-CallDesk-Queue header', () => {
  it('carries the queue, its name (any language), the reason, the VIP mark and the wait', () => {
    const offer = { queueId: 'support', queueName: '售后 support; 2', reason: 'skill' as const, vip: true, waitedMs: 1234 };
    const value = formatQueueOffer(offer);
    expect(value).toMatch(/^support;name=[^;]+;reason=skill;vip=1;waited=1234$/);
    expect(parseQueueOffer(value)).toEqual(offer);
  });

  it('is ignored (null) when absent or not understood, so the call rings as a plain call', () => {
    expect(parseQueueOffer(undefined)).toBeNull();
    expect(parseQueueOffer('')).toBeNull();
    expect(parseQueueOffer('sales;name=Sales;reason=magic;vip=0;waited=1')).toBeNull();
    expect(parseQueueOffer('sales;name=Sales;reason=owner;vip=0;waited=-5')).toBeNull();
    expect(parseQueueOffer('sales;name=%E0%A4%A;reason=owner;vip=0;waited=5')).toMatchObject({ queueName: '%E0%A4%A' });
  });
});
