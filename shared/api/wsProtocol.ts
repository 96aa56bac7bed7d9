import { z } from 'zod';

/**
 * Envelopes of the browser host's WebSocket transport. The contract's channels travel inside them.
 */

/** Client -> host: one invoke call. */
export const wsClientMessageSchema = z.object({
  type: z.literal('invoke'),
  id: z.number().int().nonnegative(),
  channel: z.string().max(200),
  payload: z.unknown().optional(),
});
/** A message from the renderer to the host. */
export type WsClientMessage = z.infer<typeof wsClientMessageSchema>;

/** Host -> client messages. */
export type WsServerMessage =
  | { type: 'result'; id: number; result: unknown }
  | { type: 'event'; channel: string; payload: unknown }
  | { type: 'error'; message: string };

/** Path of the WebSocket endpoint; the token travels as the `token` query parameter. */
export const WS_PATH = '/api';

/** Largest message the host accepts (bytes). */
export const WS_MAX_MESSAGE_BYTES = 1024 * 1024;
