import { z } from 'zod';
import { noPayload } from '../api/noPayload';
import { callSnapshotSchema, dtmfSchema } from '../phone/call';
import { qualitySampleSchema } from '../phone/quality';

/** Schema of a request naming one call. */
export const callIdSchema = z.object({ callId: z.string().min(1).max(100) });
/** Schema of `call:dial`: a number or a sip: URI, plus optional extra X- headers. */
export const callDialSchema = z.object({
  target: z.string().trim().min(1).max(256),
  headers: z.record(z.string().regex(/^X-[A-Za-z0-9-]{1,60}$/), z.string().max(512)).optional(),
});
/** Schema of `call:reject`: the code overrides `sip.rejectCode`. */
export const callRejectSchema = callIdSchema.extend({ code: z.union([z.literal(486), z.literal(603)]).optional() });
/** Schema of `call:mute`. */
export const callMuteSchema = callIdSchema.extend({ muted: z.boolean() });
/** Schema of `call:dtmf`. */
export const callDtmfSchema = callIdSchema.extend({ tones: dtmfSchema });
/** Schema of `call:dtmf-received`: one digit the media engine heard in a call's remote audio. */
export const callDtmfReceivedSchema = callIdSchema.extend({ digit: z.string().regex(/^[0-9A-D*#]$/, 'one DTMF digit') });
/** Schema of `call:transfer-blind`. */
export const callTransferBlindSchema = callIdSchema.extend({ target: z.string().trim().min(1).max(256) });
/** Schema of `call:transfer-attended`: transfer `callId` to the party of `consultCallId`. */
export const callTransferAttendedSchema = callIdSchema.extend({ consultCallId: z.string().min(1).max(100) });
/** Schema of `call:quality`: one quality sample the media engine measured for a call. */
export const callQualitySchema = z.object({ callId: z.string().min(1).max(100), sample: qualitySampleSchema });

/** The call control invoke channels, merged into `invokeChannels`. */
export const callInvokeChannels = {
  'call:dial': { request: callDialSchema, response: callSnapshotSchema },
  'call:answer': { request: callIdSchema, response: callSnapshotSchema },
  'call:reject': { request: callRejectSchema, response: callSnapshotSchema },
  'call:hangup': { request: callIdSchema, response: callSnapshotSchema },
  'call:hold': { request: callIdSchema, response: callSnapshotSchema },
  'call:resume': { request: callIdSchema, response: callSnapshotSchema },
  'call:mute': { request: callMuteSchema, response: callSnapshotSchema },
  'call:dtmf': { request: callDtmfSchema, response: callSnapshotSchema },
  'call:dtmf-received': { request: callDtmfReceivedSchema, response: callSnapshotSchema },
  'call:transfer-blind': { request: callTransferBlindSchema, response: callSnapshotSchema },
  'call:transfer-attended': { request: callTransferAttendedSchema, response: callSnapshotSchema },
  'call:swap': { request: callIdSchema, response: callSnapshotSchema },
  'call:quality': { request: callQualitySchema, response: z.object({ accepted: z.boolean() }) },
  'call:take-links': { request: noPayload, response: z.object({ links: z.array(z.string()) }) },
} as const;

/** The call event channels: `call:links-pending` when `tel:`/`sip:` links wait to be dialled. */
export const callEventChannels = {
  'call:links-pending': z.object({ count: z.number().int().nonnegative() }),
} as const;
