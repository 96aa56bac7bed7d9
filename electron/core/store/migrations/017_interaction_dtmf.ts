import type { Migration } from '../migration';

/**
 * The keys the other side pressed during a call (an IVR's or a caller's input), logged with the
 * call's entry. Existing entries have none.
 */
export const m017InteractionDtmf: Migration = {
  version: 17,
  name: 'interaction_dtmf',
  up(db) {
    db.exec(`ALTER TABLE interactions ADD COLUMN dtmf_received TEXT NOT NULL DEFAULT ''`);
  },
};
