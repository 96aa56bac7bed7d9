import type { ServerMigration } from '../migrate';

/**
 * - `sync_clients.user_id`: the user a desktop's client id belongs to (the first user that pushed
 *   under it). Pushes by anyone else under that id are refused (`CLIENT_ID_TAKEN`), so their
 *   mutations are never taken for replays and lost. Existing clients belong to their last user.
 * - `sync_results.fingerprint`: what identified each stored mutation (entity, id, operation, base
 *   version, creation time). A "replay" whose fingerprint differs is another desktop's change under
 *   a copied client id, refused the same way. Null for results stored before this migration.
 * - `login_attempts (window_start)`: expired sign-in counters are swept by it.
 */
export const m003SyncIdentityAndLoginSweep: ServerMigration = {
  version: 3,
  name: 'sync_identity_and_login_sweep',
  sql: `
    ALTER TABLE sync_clients ADD COLUMN user_id TEXT;
    UPDATE sync_clients SET user_id = last_user;
    ALTER TABLE sync_results ADD COLUMN fingerprint TEXT;
    CREATE INDEX login_attempts_window ON login_attempts (window_start);
  `,
};
