import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../shared/api/result';
import {
  AGENT_STATES,
  AGENT_TRANSITIONS,
  IllegalAgentTransition,
  canTransitionAgent,
  isCallState,
  transitionAgent,
  type AgentState,
} from '../../../../shared/agent/state';

/** The whole table, written out: [from, to, allowed]. */
const EXPECTED: Record<AgentState, AgentState[]> = {
  'logged-out': ['ready', 'not-ready', 'ringing', 'on-call'],
  ready: ['not-ready', 'logged-out', 'ringing', 'on-call'],
  'not-ready': ['ready', 'not-ready', 'logged-out', 'ringing', 'on-call'],
  ringing: ['on-call', 'ready', 'not-ready', 'logged-out', 'wrap-up'],
  'on-call': ['wrap-up', 'ready', 'not-ready', 'logged-out'],
  'wrap-up': ['ready', 'not-ready', 'logged-out', 'ringing', 'on-call'],
};

describe('agent state machine', () => {
  it.each(AGENT_STATES.flatMap((from) => AGENT_STATES.map((to) => [from, to] as const)))('%s -> %s follows the table', (from, to) => {
    const allowed = EXPECTED[from].includes(to);
    expect(canTransitionAgent(from, to)).toBe(allowed);
    if (allowed) expect(transitionAgent(from, to)).toBe(to);
    else expect(() => transitionAgent(from, to)).toThrow(IllegalAgentTransition);
  });

  it('refuses an illegal move with a typed error naming both states', () => {
    let caught: unknown;
    try {
      transitionAgent('logged-out', 'wrap-up');
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(AppError);
    expect(caught).toMatchObject({ code: 'ILLEGAL_TRANSITION', message: 'Illegal agent state change logged-out -> wrap-up', details: { entity: 'agent', from: 'logged-out', to: 'wrap-up' } });
  });

  it('never stays in a state it cannot leave, and ready is reachable from every state but itself', () => {
    for (const s of AGENT_STATES) {
      expect(AGENT_TRANSITIONS[s].length).toBeGreaterThan(0);
      if (s !== 'ready') expect(canTransitionAgent(s, 'ready')).toBe(true);
    }
    expect(canTransitionAgent('ready', 'ready')).toBe(false);
    expect(canTransitionAgent('ready', 'wrap-up')).toBe(false);
  });

  it('marks the phone-driven states', () => {
    expect(AGENT_STATES.filter(isCallState)).toEqual(['ringing', 'on-call', 'wrap-up']);
  });
});
