import type { Migration } from '../migration';

/**
 * The central server's id of each customer. Local ids stay local (tickets, interactions and tasks
 * refer to them); the sync engine translates to and from `server_id` at the wire. A customer made
 * on this desktop has none until the server has it.
 */
export const m015CustomerServerIds: Migration = {
  version: 15,
  name: 'customer_server_ids',
  up(db) {
    db.exec(`
      ALTER TABLE customers ADD COLUMN server_id INTEGER;
      CREATE UNIQUE INDEX customers_server_id ON customers (server_id) WHERE server_id IS NOT NULL;
    `);
  },
};
