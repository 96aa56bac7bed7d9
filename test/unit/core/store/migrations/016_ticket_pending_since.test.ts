import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, readSchemaVersion } from '../../../../../electron/core/store/database';
import { m001Settings } from '../../../../../electron/core/store/migrations/001_settings';
import { m012Tickets } from '../../../../../electron/core/store/migrations/012_tickets';
import { m016TicketPendingSince } from '../../../../../electron/core/store/migrations/016_ticket_pending_since';

describe('migration 016_ticket_pending_since', () => {
  it('adds pending_since; tickets already pending take their last move to pending (else their last change)', () => {
    const db = new Database(':memory:');
    migrate(db, [m001Settings, m012Tickets]);
    const ins = db.prepare(
      "INSERT INTO tickets (id, type, priority, status, subject, created_by, created_at, updated_at, due_at, version) VALUES (?, 'inquiry', 'P3', ?, 's', 'a1', 1, ?, 100, 1)",
    );
    ins.run('with-history', 'pending', 900);
    ins.run('without-history', 'pending', 800);
    ins.run('open', 'open', 700);
    const hist = db.prepare("INSERT INTO ticket_history (ticket_id, at, by, action, changes_json) VALUES (?, ?, 'a1', ?, ?)");
    hist.run('with-history', 300, 'status', JSON.stringify([{ field: 'status', from: 'open', to: 'pending' }]));
    hist.run('with-history', 400, 'status', JSON.stringify([{ field: 'status', from: 'pending', to: 'open' }]));
    hist.run('with-history', 500, 'status', JSON.stringify([{ field: 'status', from: 'open', to: 'pending' }]));
    hist.run('with-history', 600, 'updated', JSON.stringify([{ field: 'subject', from: 'a', to: 'b' }]));
    migrate(db, [m001Settings, m012Tickets, m016TicketPendingSince]);
    expect(readSchemaVersion(db)).toBe(16);
    const rows = db.prepare('SELECT id, pending_since FROM tickets ORDER BY id').all();
    expect(rows).toEqual([
      { id: 'open', pending_since: null },
      { id: 'with-history', pending_since: 500 },
      { id: 'without-history', pending_since: 800 },
    ]);
  });
});
