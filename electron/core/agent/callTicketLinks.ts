import type Database from 'better-sqlite3';
import type { Interaction } from '../../../shared/interaction/interaction';
import type { Ticket, TicketCreate } from '../../../shared/ticket/ticket';
import type { InteractionService } from '../interaction/interactionService';
import type { Logger } from '../log/logger';
import type { TicketService } from '../ticket/ticketService';

/** Everything the links need. */
export interface CallTicketLinksDeps {
  db: Database.Database;
  tickets: TicketService;
  interactions: InteractionService;
  logger: Logger;
}

/**
 * Tickets raised during a live call (Alt+N while talking). A call is logged only when it ends, so
 * such a ticket cannot link to its log entry yet: it is remembered by call id and linked the moment
 * the call is logged (`interaction:logged`), before the wrap-up opens, so the wrap-up shows it as
 * linked. A ticket raised for a call already logged is linked at once.
 */
export class CallTicketLinks {
  /** Ticket ids waiting for their call to be logged, by app call id. */
  private readonly waiting = new Map<string, string[]>();

  constructor(private readonly deps: CallTicketLinksDeps) {}

  /** Creates a ticket; with `fromCallId`, links it to that call now or when the call is logged. */
  create(req: TicketCreate): Ticket {
    const { fromCallId, ...rest } = req;
    if (!fromCallId) return this.deps.tickets.create(rest);
    const logged = this.deps.interactions.forCall(fromCallId);
    if (logged) return this.deps.tickets.create({ ...rest, interactionIds: [...rest.interactionIds, logged.rootId] });
    const ticket = this.deps.tickets.create(rest);
    this.waiting.set(fromCallId, [...(this.waiting.get(fromCallId) ?? []), ticket.id]);
    this.deps.logger.info('ticket raised during a call: linked when the call is logged', { callId: fromCallId, ticketId: ticket.id });
    return ticket;
  }

  /** Links the tickets waiting for this entry's call (call `interaction:logged` listeners first). */
  onLogged(entry: Interaction): void {
    if (entry.revisionKind !== 'original' || !entry.callId) return;
    const ids = this.waiting.get(entry.callId);
    if (!ids) return;
    this.waiting.delete(entry.callId);
    for (const id of ids) {
      try {
        const ticket = this.deps.db.transaction(() => this.deps.tickets.linkInTx(id, entry.rootId))();
        this.deps.tickets.changed(ticket);
      } catch (err) {
        this.deps.logger.warn('could not link a ticket to its call', { callId: entry.callId, ticketId: id, error: (err as Error).message });
      }
    }
  }

}
