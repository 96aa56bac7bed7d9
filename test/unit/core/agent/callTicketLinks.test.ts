import { describe, expect, it } from 'vitest';
import { createWorkflowHarness } from '../../../helpers/workflowHarness';

const S = 1000;

describe('tickets raised during a call', () => {
  it('a ticket created while talking (fromCallId) is linked to the call as soon as it is logged; the wrap-up lists it and its revision keeps it', () => {
    const h = createWorkflowHarness({ customers: { '+8613800138000': 42 } });
    const id = h.phone.ring();
    h.phone.answer(id);
    h.clock.advance(10 * S);
    const handlers = h.workflow.handlers();
    const ticket = handlers['ticket:create']({ type: 'inquiry', priority: 'P3', category: '', subject: 'Asked about the invoice', description: '', customerId: 42, interactionIds: [], fromCallId: id }) as { id: string; interactionIds: string[] };
    expect(ticket.interactionIds).toEqual([]);
    h.clock.advance(5 * S);
    h.phone.end(id);

    const logged = h.workflow.interactions.forCall(id)!;
    const linked = h.workflow.tickets.get(ticket.id).ticket;
    expect(linked.interactionIds).toEqual([logged.rootId]);
    expect(h.agent().wrapUp).toMatchObject({ callId: id, ticketIds: [ticket.id] });

    const result = h.workflow.agent.submitWrapUp({ disposition: 'answered-question', notes: '', linkTicketIds: [] });
    expect(result.interaction.ticketIds).toEqual([ticket.id]);
  });

  it('a ticket raised for a call already logged (during its wrap-up) is linked at once', () => {
    const h = createWorkflowHarness();
    const id = h.phone.ring();
    h.phone.answer(id);
    h.phone.end(id);
    const logged = h.workflow.interactions.forCall(id)!;
    const ticket = h.workflow.handlers()['ticket:create']({ type: 'inquiry', priority: 'P3', category: '', subject: 'Late', description: '', interactionIds: [], fromCallId: id }) as { interactionIds: string[] };
    expect(ticket.interactionIds).toEqual([logged.rootId]);
    expect(h.agent().wrapUp?.ticketIds).toHaveLength(1);
  });

  it('a ticket without a call is created unlinked as before', () => {
    const h = createWorkflowHarness();
    const ticket = h.workflow.handlers()['ticket:create']({ type: 'feedback', priority: 'P4', category: '', subject: 'Nice app', description: '', interactionIds: [] }) as { interactionIds: string[] };
    expect(ticket.interactionIds).toEqual([]);
  });
});
