import type { ServerMigration } from '../migrate';

/**
 * `tickets.pending_since`: when a ticket entered `pending` (waiting on the customer). Its SLA clock
 * is paused since then; the merge moves the due time later by the paused time when the ticket leaves
 * `pending` (`shared/workflow/ticket.ts` `dueAfterTransition`, the same rule as the desktop).
 * Tickets already pending take the time of their last move to pending from their history, else
 * their last change.
 */
export const m002TicketPendingSince: ServerMigration = {
  version: 2,
  name: 'ticket_pending_since',
  sql: `
    ALTER TABLE tickets ADD COLUMN pending_since BIGINT;
    UPDATE tickets t SET pending_since = COALESCE(
      (SELECT max(h.at) FROM ticket_history h
        WHERE h.ticket_id = t.id AND h.changes @> '[{"field": "status", "to": "pending"}]'::jsonb),
      t.updated_at)
    WHERE t.status = 'pending';
  `,
};
