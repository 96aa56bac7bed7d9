import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, readSchemaVersion } from '../../../../../electron/core/store/database';
import { m001Settings } from '../../../../../electron/core/store/migrations/001_settings';
import { m002Customers } from '../../../../../electron/core/store/migrations/002_customers';
import { m003CustomerSearch } from '../../../../../electron/core/store/migrations/003_customer_search';
import { m010Interactions } from '../../../../../electron/core/store/migrations/010_interactions';
import { m017InteractionDtmf } from '../../../../../electron/core/store/migrations/017_interaction_dtmf';

const BEFORE = [m001Settings, m002Customers, m003CustomerSearch, m010Interactions];

describe('migration 017_interaction_dtmf', () => {
  it('adds dtmf_received to interactions: existing entries have none, new ones keep theirs, the table stays insert-only', () => {
    const db = new Database(':memory:');
    migrate(db, BEFORE);
    db.prepare(`INSERT INTO interactions (id, kind, root_id, revision_kind, agent_id, occurred_at, created_at) VALUES ('old', 'call', 'old', 'original', 'a1', 1, 1)`).run();
    migrate(db, [...BEFORE, m017InteractionDtmf]);
    expect(readSchemaVersion(db)).toBe(17);
    db.prepare(`INSERT INTO interactions (id, kind, root_id, revision_kind, agent_id, occurred_at, created_at, dtmf_received) VALUES ('new', 'call', 'new', 'original', 'a1', 2, 2, '42#')`).run();
    expect(db.prepare('SELECT id, dtmf_received FROM interactions ORDER BY id').all()).toEqual([
      { id: 'new', dtmf_received: '42#' },
      { id: 'old', dtmf_received: '' },
    ]);
    expect(() => db.prepare(`UPDATE interactions SET dtmf_received = '1' WHERE id = 'old'`).run()).toThrow();
  });
});
