import { describe, expect, it } from 'vitest';
import { AGENT_TRANSITIONS, IllegalAgentTransition, canTransitionAgent, transitionAgent } from '../../../../shared/agent/state';
import { CALL_TRANSITIONS, IllegalCallTransition, canTransition, transition } from '../../../../shared/phone/callState';
import { defineStateMachine } from '../../../../shared/state-machine/stateMachine';
import { IllegalTicketTransition, TICKET_TRANSITIONS, canTransitionTicket, transitionTicket } from '../../../../shared/ticket/ticket';

describe('defineStateMachine', () => {
  type Light = 'red' | 'green' | 'amber';
  const machine = defineStateMachine<Light>({ red: ['green'], green: ['amber'], amber: ['red'] }, (from, to) => new RangeError(`${from}->${to}`));

  it('allows exactly the moves of its table and answers the target state', () => {
    expect(machine.can('red', 'green')).toBe(true);
    expect(machine.can('red', 'amber')).toBe(false);
    expect(machine.can('red', 'red')).toBe(false);
    expect(machine.transition('green', 'amber')).toBe('amber');
  });

  it('refuses any other move with the error the machine names', () => {
    expect(() => machine.transition('green', 'red')).toThrow(new RangeError('green->red'));
  });

  it('is the one helper behind the call, agent and ticket machines: same answers as their tables', () => {
    const machines = [
      { table: CALL_TRANSITIONS, can: canTransition, move: transition, error: IllegalCallTransition },
      { table: AGENT_TRANSITIONS, can: canTransitionAgent, move: transitionAgent, error: IllegalAgentTransition },
      { table: TICKET_TRANSITIONS, can: canTransitionTicket, move: transitionTicket, error: IllegalTicketTransition },
    ] as const;
    for (const m of machines) {
      const table = m.table as Readonly<Record<string, readonly string[]>>;
      const can = m.can as (from: string, to: string) => boolean;
      const move = m.move as (from: string, to: string) => string;
      const states = Object.keys(table);
      for (const from of states) {
        for (const to of states) {
          const legal = table[from]!.includes(to);
          expect(can(from, to)).toBe(legal);
          if (legal) expect(move(from, to)).toBe(to);
          else expect(() => move(from, to)).toThrow(m.error);
        }
      }
    }
  });
});
