import { z } from 'zod';

/** Media methods the core asks the media host to run for one call (remote SessionDescriptionHandler). */
export const MEDIA_METHODS = ['getDescription', 'setDescription', 'rollbackDescription', 'sendDtmf', 'setMuted', 'close'] as const;
/**
 * Schema of `media:request` (core -> media host). `getDescription`/`setDescription`/
 * `rollbackDescription` expect a `media:respond` with the same id; `sendDtmf`, `setMuted` and `close`
 * are fire-and-forget. args: getDescription [options, modifierNames], setDescription [sdp, options,
 * modifierNames], sendDtmf [tones, options], setMuted [muted]. Options are JSON (sip.js
 * SessionDescriptionHandlerOptions without functions, e.g. `{ hold: true }`).
 */
export const mediaRequestSchema = z.object({
  id: z.string(),
  callId: z.string(),
  method: z.enum(MEDIA_METHODS),
  args: z.array(z.unknown()),
});
/** One media request. */
export type MediaRequest = z.infer<typeof mediaRequestSchema>;
/** Schema of `media:respond` (media host -> core): exactly one of result or error. */
export const mediaRespondSchema = z.object({
  id: z.string().min(1).max(100),
  result: z.unknown().optional(),
  error: z.object({ message: z.string().max(2000) }).optional(),
});
/** What a media host answers to one request (`media:respond`). */
export type MediaResponse = z.input<typeof mediaRespondSchema>;
/** Schema of `media:ready`: the media host (re)started; `hostId` changes on every renderer load. */
export const mediaReadySchema = z.object({ hostId: z.string().min(1).max(100) });
/** Answer of `media:ready`: how many established calls are re-negotiated (re-INVITE). */
export const mediaReadyResultSchema = z.object({ renegotiating: z.number().int().nonnegative() });

/** The media invoke channels (media host -> core), merged into `invokeChannels`. */
export const mediaInvokeChannels = {
  'media:respond': { request: mediaRespondSchema, response: z.object({ accepted: z.boolean() }) },
  'media:ready': { request: mediaReadySchema, response: mediaReadyResultSchema },
} as const;

/** The media event channels: `media:request` (core -> media host). */
export const mediaEventChannels = {
  'media:request': mediaRequestSchema,
} as const;
