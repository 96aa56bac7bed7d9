import { describe, expect, it } from 'vitest';
import { CALL_STATES, CALL_TRANSITIONS, IllegalCallTransition, canTransition, isEstablished, transition } from '../../../../shared/phone/callState';

describe('call state machine', () => {
  it('allows the moves of a normal inbound and outbound call', () => {
    expect(transition('ringing', 'answering')).toBe('answering');
    expect(transition('answering', 'active')).toBe('active');
    expect(transition('dialing', 'ringing')).toBe('ringing');
    expect(transition('ringing', 'active')).toBe('active');
    expect(transition('active', 'held')).toBe('held');
    expect(transition('held', 'active')).toBe('active');
    expect(transition('held', 'ended')).toBe('ended');
  });

  it('refuses illegal moves with an error naming both states', () => {
    expect(() => transition('ended', 'active')).toThrow(IllegalCallTransition);
    expect(() => transition('dialing', 'held')).toThrow('Illegal call state transition dialing -> held');
    expect(canTransition('ringing', 'held')).toBe(false);
  });

  it('lets every live state end and nothing leave ended', () => {
    for (const s of CALL_STATES) {
      if (s === 'ended') expect(CALL_TRANSITIONS[s]).toEqual([]);
      else expect(canTransition(s, 'ended')).toBe(true);
    }
    expect(isEstablished('held')).toBe(true);
    expect(isEstablished('ringing')).toBe(false);
  });
});
