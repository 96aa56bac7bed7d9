import type { Migration } from '../migration';

/**
 * Customer insight pulled from the central server (issue 13): one row per server customer id (the
 * insight may arrive before its customer does; it is joined through `customers.server_id`). `record`
 * is the JSON of shared/insight/record.ts as the server sent it.
 */
export const m018CustomerInsight: Migration = {
  version: 18,
  name: 'customer_insight',
  up(db) {
    db.exec(`
      CREATE TABLE customer_insight (
        server_customer_id INTEGER PRIMARY KEY,
        record TEXT NOT NULL,
        change_id INTEGER NOT NULL
      );
    `);
  },
};
