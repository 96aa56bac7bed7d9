import { describe, expect, it } from 'vitest';
import { supervisorGains } from '../../../../renderer/media/monitorMixer';

describe('monitoring mix per mode', () => {
  it('routes the supervisor to nobody (listen), to the agent only (whisper), to both (barge)', () => {
    expect(supervisorGains('listen')).toEqual({ toAgent: 0, toCustomer: 0 });
    expect(supervisorGains('whisper')).toEqual({ toAgent: 1, toCustomer: 0 });
    expect(supervisorGains('barge')).toEqual({ toAgent: 1, toCustomer: 1 });
  });
});
