import { z } from 'zod';

/** Connection to the central server as the status bar shows it. */
export const SYNC_CONNECTIONS = ['disabled', 'connecting', 'online', 'offline', 'signed-out'] as const;
/** A connection state. */
export type SyncConnection = (typeof SYNC_CONNECTIONS)[number];

/** Snapshot of the desktop sync engine (for the status bar and the first-sync progress). */
export const syncStatusSchema = z.object({
  connection: z.enum(SYNC_CONNECTIONS),
  /** Real-time channel open. */
  realtime: z.boolean(),
  /** Outbox entries not yet acknowledged by the server. */
  outboxDepth: z.number().int().nonnegative(),
  /** A pull in progress: how far it got and the newest change id on the server. */
  pull: z.object({ cursor: z.number().int(), latest: z.number().int() }).nullable(),
  /** Last time a push or pull succeeded (epoch ms). */
  lastSyncAt: z.number().nullable(),
  /** Last error, for a tooltip. */
  lastError: z.string().nullable(),
  /** When the next attempt is due while offline (epoch ms). */
  nextRetryAt: z.number().nullable(),
});
/** A sync status snapshot. */
export type SyncStatus = z.infer<typeof syncStatusSchema>;
