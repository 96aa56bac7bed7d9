import { AppError } from '../api/result';
import type { MediaRequest, MediaResponse } from '../media/api';

/** Options that cross to the media host: sip.js SessionDescriptionHandlerOptions as JSON (e.g. `{ hold: true }`). */
export type MediaOptions = Record<string, unknown>;

/** A session description and its content type (`application/sdp`). */
export interface MediaDescription {
  body: string;
  contentType: string;
}

/**
 * The media engine of the softphone, one media session per call, keyed by the core's call id.
 *
 * The core runs sip.js signalling; every SIP session gets a RemoteSessionDescriptionHandler that
 * calls these methods. The renderer implements this interface with one sip.js
 * `Web.SessionDescriptionHandler` per call id:
 *
 * ```ts
 * const sdh = sdhs.get(callId) ?? new Web.SessionDescriptionHandler(logger, Web.defaultMediaStreamFactory(),
 *   { iceGatheringTimeout: 500, peerConnectionConfiguration: { iceServers } });  // iceServers from sip.iceServers
 * getDescription(callId, options, modifiers) => sdh.getDescription(options, modifiersByName(modifiers))
 * setDescription(callId, sdp, options, modifiers) => sdh.setDescription(sdp, options, modifiersByName(modifiers))
 * ```
 *
 * Rules:
 * - A call id seen for the first time creates its media session lazily (after a renderer reload the
 *   core re-INVITEs every established call, so the first request for a known call is a fresh offer).
 * - `getDescription` / `setDescription` / `rollbackDescription` are asynchronous and answered over a
 *   request/response channel with ids and timeouts (`media:request` / `media:respond`).
 * - `sendDtmf` (RFC 4733), `setMuted` and `close` are fire-and-forget.
 * - Options are JSON: `hold: true` asks for a sendonly offer/answer (local hold). Modifiers cross as
 *   names only (never functions); an implementation ignores names it does not know.
 * - `close` releases the call's peer connection and tracks; a later request for the same id starts over.
 */
export interface MediaHost {
  /** Creates an offer (no remote description yet) or an answer (after setDescription of an offer). */
  getDescription(callId: string, options: MediaOptions, modifiers: string[]): Promise<MediaDescription>;
  /** Applies a remote offer or answer. Rejects when the SDP is unusable. */
  setDescription(callId: string, sdp: string, options: MediaOptions, modifiers: string[]): Promise<void>;
  /** Rolls back a pending local offer (glare, failed re-INVITE). */
  rollbackDescription(callId: string): Promise<void>;
  /** Sends DTMF in band (RFC 4733). Fire-and-forget. */
  sendDtmf(callId: string, tones: string, options: MediaOptions): void;
  /** Mutes or unmutes the microphone of this call. Fire-and-forget. */
  setMuted(callId: string, muted: boolean): void;
  /** Releases the call's media. Fire-and-forget. */
  close(callId: string): void;
}

function asOptions(v: unknown): MediaOptions {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as MediaOptions) : {};
}
function asNames(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/**
 * Runs one `media:request` against a local MediaHost and builds the `media:respond` payload
 * (null for fire-and-forget methods). Used by the renderer's media engine and by Node test hosts.
 */
export async function serveMediaRequest(host: MediaHost, req: MediaRequest): Promise<MediaResponse | null> {
  try {
    switch (req.method) {
      case 'getDescription':
        return { id: req.id, result: await host.getDescription(req.callId, asOptions(req.args[0]), asNames(req.args[1])) };
      case 'setDescription': {
        const sdp = req.args[0];
        if (typeof sdp !== 'string') throw new AppError('INVALID_PAYLOAD', 'setDescription needs an SDP string');
        await host.setDescription(req.callId, sdp, asOptions(req.args[1]), asNames(req.args[2]));
        return { id: req.id, result: null };
      }
      case 'rollbackDescription':
        await host.rollbackDescription(req.callId);
        return { id: req.id, result: null };
      case 'sendDtmf':
        host.sendDtmf(req.callId, String(req.args[0] ?? ''), asOptions(req.args[1]));
        return null;
      case 'setMuted':
        host.setMuted(req.callId, req.args[0] === true);
        return null;
      case 'close':
        host.close(req.callId);
        return null;
    }
  } catch (err) {
    return { id: req.id, error: { message: err instanceof Error ? err.message : String(err) } };
  }
}

/** True when a method expects a `media:respond`. */
export function mediaMethodNeedsResponse(method: MediaRequest['method']): boolean {
  return method === 'getDescription' || method === 'setDescription' || method === 'rollbackDescription';
}

/** Minimal structural check of an SDP body: a `v=0` line and at least one `m=` line. */
export function looksLikeSdp(body: string): boolean {
  return /^v=0\r?$/m.test(body) && /^m=\w+ \d+/m.test(body);
}

/** The media direction of the audio m-line(s): `sendrecv` when none is given. */
export function sdpAudioDirection(sdp: string): 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive' {
  const sections = sdp.split(/\r?\n(?=m=)/);
  const session = sections[0] ?? '';
  const sessionDir = /^a=(sendrecv|sendonly|recvonly|inactive)\r?$/m.exec(session)?.[1];
  const audio = sections.find((s) => s.startsWith('m=audio'));
  const dir = (audio && /^a=(sendrecv|sendonly|recvonly|inactive)\r?$/m.exec(audio)?.[1]) ?? sessionDir ?? 'sendrecv';
  return dir as 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';
}
