import type { ServerMigration } from '../migrate';

/**
 * Provisioning (issue 14): `sip_accounts` holds the SIP account an admin assigned to a user, which
 * that user's desktop receives at sign-in (`GET /me/provisioning`). The password is kept as given:
 * the desktop needs it to answer the PBX's digest challenge (as the PBX's own subscriber table
 * does), so this table is as sensitive as that one; it is never listed, only handed to its user.
 */
export const m005SipAccounts: ServerMigration = {
  version: 5,
  name: 'sip_accounts',
  sql: `
    CREATE TABLE sip_accounts (
      user_id TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
      uri TEXT NOT NULL,
      server TEXT NOT NULL,
      auth_user TEXT NOT NULL DEFAULT '',
      password TEXT NOT NULL,
      display_name TEXT NOT NULL DEFAULT '',
      updated_at BIGINT NOT NULL
    );
  `,
};
