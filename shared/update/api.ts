import { z } from 'zod';
import { noPayload } from '../api/noPayload';

/**
 * Controlled updates (issue 14, item 4) as the UI sees them. The core decides which version and
 * when (`electron/core/update/`); the Electron shell only installs.
 */

/** Phases of the update service. */
export const UPDATE_PHASES = ['off', 'idle', 'checking', 'downloading', 'ready', 'installing', 'error'] as const;

/** Schema of `update:state` (invoke and event). */
export const updateStateSchema = z.object({
  phase: z.enum(UPDATE_PHASES),
  current: z.string(),
  /** The version downloaded and waiting to install, or being downloaded. */
  available: z.string().nullable(),
  /** Why the feed's version is not taken (up-to-date, not-in-rollout, above-maximum …), or null. */
  skipped: z.object({ version: z.string().nullable(), reason: z.string() }).nullable(),
  /** For a ready update: wait (call or wrap-up), ask the agent, or install now. */
  timing: z.enum(['wait', 'ask', 'install']).nullable(),
  postponesLeft: z.number().int().nonnegative(),
  lastCheckAt: z.number().nullable(),
  error: z.string().nullable(),
});
/** The update state. */
export type UpdateState = z.infer<typeof updateStateSchema>;

/** The update invoke channels, merged into `invokeChannels`. */
export const updateInvokeChannels = {
  'update:state': { request: noPayload, response: updateStateSchema },
  /** Reads the feed now. */
  'update:check': { request: noPayload, response: updateStateSchema },
  /** The agent postpones a ready update (refused when no postpone is left). */
  'update:postpone': { request: noPayload, response: updateStateSchema },
  /** The agent installs a ready update now (refused during a call or wrap-up). */
  'update:install': { request: noPayload, response: updateStateSchema },
} as const;

/** The update event channels, merged into `eventChannels`. */
export const updateEventChannels = {
  'update:state': updateStateSchema,
} as const;
