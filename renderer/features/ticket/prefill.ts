import type { TFunction } from 'i18next';
import { useAgentStore } from '../../stores/agentStore';
import { useCustomerStore } from '../../stores/customerStore';
import { liveCalls, usePhoneStore } from '../../stores/phoneStore';
import type { TicketPrefill } from '../../stores/ticketStore';

/**
 * What a new ticket starts with right now: the call in wrap-up (drafted from its log entry), else
 * the live call (its caller and matched customer; the ticket is linked to the call when it is
 * logged), else nothing.
 */
export function currentCallPrefill(t: TFunction): TicketPrefill {
  const agent = useAgentStore.getState().agent;
  const wrapUp = agent?.wrapUp;
  if (wrapUp) {
    return { fromInteractionId: wrapUp.interactionId, customerId: wrapUp.customerId, subject: wrapUp.remoteName || wrapUp.remoteNumber, type: 'inquiry' };
  }
  const calls = liveCalls(usePhoneStore.getState().phone);
  const call = calls.find((c) => c.id === agent?.callId) ?? calls.find((c) => c.state === 'active') ?? calls[0];
  if (!call) return {};
  const pop = useCustomerStore.getState().pops[call.id]?.result;
  const customer = pop?.kind === 'match' ? pop.customer : null;
  const who = customer?.name || call.remote.displayName || call.remote.number;
  return {
    fromCallId: call.id,
    customerId: customer?.id ?? null,
    customerName: customer?.name,
    subject: who,
    description: t('workflow.tickets.fromCall', { who, number: call.remote.number, at: new Date(call.times.created).toLocaleString() }),
    type: 'inquiry',
  };
}
