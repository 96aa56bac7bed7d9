import type { Migration } from '../migration';

/**
 * When a ticket entered `pending` (waiting on the customer): its SLA clock is paused since then, and
 * the due time moves later by the paused time when it leaves `pending`
 * (`shared/workflow/ticket.ts` `dueAfterTransition`). Tickets already pending take the time of their
 * last move to pending from their history, else their last change.
 */
export const m016TicketPendingSince: Migration = {
  version: 16,
  name: 'ticket_pending_since',
  up(db) {
    db.exec(`
      ALTER TABLE tickets ADD COLUMN pending_since INTEGER;
      UPDATE tickets SET pending_since = COALESCE(
        (SELECT max(h.at) FROM ticket_history h, json_each(h.changes_json) c
          WHERE h.ticket_id = tickets.id AND h.action = 'status'
            AND json_extract(c.value, '$.field') = 'status' AND json_extract(c.value, '$.to') = 'pending'),
        updated_at)
      WHERE status = 'pending';
    `);
  },
};
