import { z } from 'zod';
import { noPayload } from '../api/noPayload';
import { userSchema } from './protocol';
import { syncStatusSchema } from './status';

/**
 * The desktop's link to the central server as the UI sees it: the engine status (connection,
 * outbox depth, first-sync progress) plus which server and which user this desktop is signed in as.
 */
export const syncStateSchema = syncStatusSchema.extend({
  /** The configured server (`server.url`); empty when the desktop works alone. */
  serverUrl: z.string(),
  /** The signed-in user; null when signed out. */
  user: userSchema.nullable(),
});
/** The sync state. */
export type SyncState = z.infer<typeof syncStateSchema>;

/** Schema of `sync:sign-in`: server address (saved as `server.url`), user name and password. */
export const syncSignInSchema = z.object({
  url: z.string().trim().min(1).max(500),
  username: z.string().trim().min(1).max(100),
  password: z.string().min(1).max(1000),
});
/** A sign-in request. */
export type SyncSignIn = z.input<typeof syncSignInSchema>;

/** The sync invoke channels, merged into `invokeChannels`. */
export const syncInvokeChannels = {
  /** The current state. */
  'sync:state': { request: noPayload, response: syncStateSchema },
  /** Signs in (refresh token kept in the OS keychain) and starts syncing. */
  'sync:sign-in': { request: syncSignInSchema, response: syncStateSchema },
  /** Signs out; the outbox stays and is pushed after the next sign-in. */
  'sync:sign-out': { request: noPayload, response: syncStateSchema },
  /** Tries now instead of waiting for the next retry. */
  'sync:retry': { request: noPayload, response: syncStateSchema },
} as const;

/** The `by` of ticket history entries that record what the central server decided. */
export const SERVER_HISTORY_AUTHOR = 'server';

/** Kinds of {@link syncNoticeSchema}. */
export const SYNC_NOTICE_KINDS = ['conflict', 'rejected', 'assigned'] as const;

/**
 * Something the server decided that the agent should know about: a change of theirs that lost to
 * someone else's (`conflict`, with the fields the server kept), a change refused for good
 * (`rejected`, with the reason), or a ticket newly assigned to them (`assigned`).
 */
export const syncNoticeSchema = z.object({
  kind: z.enum(SYNC_NOTICE_KINDS),
  entity: z.string(),
  id: z.string(),
  /** The ticket subject or task title, when known. */
  subject: z.string().nullable(),
  fields: z.array(z.string()),
  reason: z.string().nullable(),
});
/** A sync notice. */
export type SyncNotice = z.infer<typeof syncNoticeSchema>;

/** The sync event channels: `sync:state` on every change, `sync:notice` when the server decided something the agent should see. */
export const syncEventChannels = {
  'sync:state': syncStateSchema,
  'sync:notice': syncNoticeSchema,
} as const;
