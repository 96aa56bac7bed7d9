import type { Migration } from '../migration';

/**
 * Customer records: customers, their phones (raw as entered + E.164 match key, indexed), emails,
 * addresses and the history of owner changes. Enumerated values are validated by the repository
 * (zod), not by CHECK constraints, so adding a value never needs a table rebuild.
 */
export const m002Customers: Migration = {
  version: 2,
  name: 'customers',
  up(db) {
    db.exec(`
      CREATE TABLE customers (
        id INTEGER PRIMARY KEY,
        code TEXT NOT NULL UNIQUE COLLATE NOCASE,
        name TEXT NOT NULL,
        company TEXT NOT NULL DEFAULT '',
        type TEXT NOT NULL,
        status TEXT NOT NULL,
        level TEXT NOT NULL,
        source TEXT NOT NULL,
        credit_rating TEXT,
        points INTEGER NOT NULL DEFAULT 0,
        owner_id TEXT,
        tags_json TEXT NOT NULL DEFAULT '[]',
        birthday TEXT,
        preferred_language TEXT,
        preferences TEXT NOT NULL DEFAULT '',
        notes TEXT NOT NULL DEFAULT '',
        allow_call INTEGER NOT NULL DEFAULT 1,
        allow_sms INTEGER NOT NULL DEFAULT 1,
        allow_email INTEGER NOT NULL DEFAULT 1,
        lifetime_value REAL NOT NULL DEFAULT 0,
        lifecycle_stage TEXT NOT NULL,
        last_contact_at INTEGER,
        server_version INTEGER,
        revision INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        name_pinyin TEXT NOT NULL DEFAULT '',
        name_initials TEXT NOT NULL DEFAULT ''
      ) STRICT;
      CREATE INDEX customers_name ON customers (name COLLATE NOCASE);
      CREATE INDEX customers_initials ON customers (name_initials);
      CREATE INDEX customers_owner ON customers (owner_id);
      CREATE INDEX customers_status ON customers (status);
      CREATE INDEX customers_last_contact ON customers (last_contact_at);

      CREATE TABLE customer_phones (
        id INTEGER PRIMARY KEY,
        customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        raw TEXT NOT NULL,
        e164 TEXT,
        extension TEXT,
        label TEXT NOT NULL,
        is_primary INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      CREATE INDEX customer_phones_e164 ON customer_phones (e164, customer_id) WHERE e164 IS NOT NULL;
      CREATE INDEX customer_phones_customer ON customer_phones (customer_id);

      CREATE TABLE customer_emails (
        id INTEGER PRIMARY KEY,
        customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        address TEXT NOT NULL,
        label TEXT NOT NULL,
        is_primary INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      CREATE INDEX customer_emails_customer ON customer_emails (customer_id);

      CREATE TABLE customer_addresses (
        id INTEGER PRIMARY KEY,
        customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        label TEXT NOT NULL,
        line1 TEXT NOT NULL DEFAULT '',
        line2 TEXT NOT NULL DEFAULT '',
        city TEXT NOT NULL DEFAULT '',
        region TEXT NOT NULL DEFAULT '',
        postal_code TEXT NOT NULL DEFAULT '',
        country TEXT NOT NULL DEFAULT ''
      ) STRICT;
      CREATE INDEX customer_addresses_customer ON customer_addresses (customer_id);

      CREATE TABLE customer_owner_changes (
        id INTEGER PRIMARY KEY,
        customer_id INTEGER NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
        from_owner_id TEXT,
        to_owner_id TEXT,
        changed_by TEXT,
        reason TEXT NOT NULL DEFAULT '',
        changed_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX customer_owner_changes_customer ON customer_owner_changes (customer_id, changed_at);
    `);
  },
};
