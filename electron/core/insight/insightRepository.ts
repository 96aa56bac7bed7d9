import type Database from 'better-sqlite3';
import { customerInsightSchema, type CustomerInsight } from '../../../shared/insight/record';

/**
 * Customer insight as pulled from the server, keyed by the server's customer id and read through
 * the local customer (`customers.server_id`). Rows are parsed on the way out; a row that no longer
 * parses reads as none.
 */
export class InsightRepository {
  private readonly upsertStmt: Database.Statement;
  private readonly removeStmt: Database.Statement;
  private readonly byLocalStmt: Database.Statement;

  constructor(db: Database.Database) {
    this.upsertStmt = db.prepare(
      `INSERT INTO customer_insight (server_customer_id, record, change_id) VALUES (?, ?, ?)
       ON CONFLICT (server_customer_id) DO UPDATE SET record = excluded.record, change_id = excluded.change_id`,
    );
    this.removeStmt = db.prepare('DELETE FROM customer_insight WHERE server_customer_id = ?');
    this.byLocalStmt = db.prepare('SELECT i.record FROM customer_insight i JOIN customers c ON c.server_id = i.server_customer_id WHERE c.id = ?');
  }

  /** Stores a pulled insight (its `customerId` is the server's); throws when it does not parse. */
  upsert(serverCustomerId: number, record: unknown, changeId: number): void {
    const parsed = customerInsightSchema.parse(record);
    this.upsertStmt.run(serverCustomerId, JSON.stringify(parsed), changeId);
  }

  /** Drops a customer's insight (out of scope). */
  remove(serverCustomerId: number): void {
    this.removeStmt.run(serverCustomerId);
  }

  /** The insight of a local customer, with `customerId` the local id; null when none was synced. */
  forLocalCustomer(localId: number): CustomerInsight | null {
    const row = this.byLocalStmt.get(localId) as { record: string } | undefined;
    if (!row) return null;
    const parsed = customerInsightSchema.safeParse(JSON.parse(row.record));
    return parsed.success ? { ...parsed.data, customerId: localId } : null;
  }
}
