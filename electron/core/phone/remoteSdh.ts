import type {
  BodyAndContentType,
  SessionDescriptionHandler,
  SessionDescriptionHandlerModifier,
  SessionDescriptionHandlerOptions,
} from 'sip.js';
import type { MediaHost, MediaOptions } from '../../../shared/phone/mediaHost';
import type { Logger } from '../log/logger';

/** Hooks the phone service uses to observe what crosses the SDH. */
export interface RemoteSdhHooks {
  /** A remote offer or answer was applied (used to detect remote hold). */
  onRemoteDescription?(sdp: string): void;
  /** A local offer or answer was produced (used to follow the negotiated codecs). */
  onLocalDescription?(sdp: string): void;
  /** The media host refused a remote description (e.g. an SDP our media engine cannot use). */
  onRemoteDescriptionFailed?(error: Error): void;
}

/** Turns sip.js options into JSON: functions and other non-JSON values are dropped. */
export function jsonOptions(options: SessionDescriptionHandlerOptions | undefined): MediaOptions {
  if (!options) return {};
  try {
    const out = JSON.parse(JSON.stringify(options)) as unknown;
    return typeof out === 'object' && out !== null ? (out as MediaOptions) : {};
  } catch {
    return {};
  }
}

/** Modifiers cross as names (`function.name`); anonymous ones cross as `anonymous`. */
export function modifierNames(modifiers: SessionDescriptionHandlerModifier[] | undefined): string[] {
  return (modifiers ?? []).map((m) => m.name || 'anonymous');
}

/**
 * A sip.js SessionDescriptionHandler whose media lives elsewhere (the renderer): the asynchronous
 * methods are forwarded to a {@link MediaHost} for one call id; `hasDescription` is answered
 * locally; `sendDtmf` and `close` are fire-and-forget.
 */
export class RemoteSessionDescriptionHandler implements SessionDescriptionHandler {
  private closed = false;

  constructor(
    private readonly callId: string,
    private readonly host: MediaHost,
    private readonly logger: Logger,
    private readonly hooks: RemoteSdhHooks = {},
  ) {}

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.host.close(this.callId);
  }

  async getDescription(
    options?: SessionDescriptionHandlerOptions,
    modifiers?: SessionDescriptionHandlerModifier[],
  ): Promise<BodyAndContentType> {
    this.closed = false;
    const d = await this.host.getDescription(this.callId, jsonOptions(options), modifierNames(modifiers));
    try {
      this.hooks.onLocalDescription?.(d.body);
    } catch (err) {
      this.logger.warn('local description hook failed', { callId: this.callId, error: (err as Error).message });
    }
    return { body: d.body, contentType: d.contentType };
  }

  hasDescription(contentType: string): boolean {
    return contentType === 'application/sdp';
  }

  async rollbackDescription(): Promise<void> {
    await this.host.rollbackDescription(this.callId);
  }

  async setDescription(
    sdp: string,
    options?: SessionDescriptionHandlerOptions,
    modifiers?: SessionDescriptionHandlerModifier[],
  ): Promise<void> {
    this.closed = false;
    try {
      await this.host.setDescription(this.callId, sdp, jsonOptions(options), modifierNames(modifiers));
    } catch (err) {
      this.hooks.onRemoteDescriptionFailed?.(err as Error);
      throw err;
    }
    try {
      this.hooks.onRemoteDescription?.(sdp);
    } catch (err) {
      this.logger.warn('remote description hook failed', { callId: this.callId, error: (err as Error).message });
    }
  }

  sendDtmf(tones: string, options?: unknown): boolean {
    if (this.closed) return false;
    this.host.sendDtmf(this.callId, tones, jsonOptions(options as SessionDescriptionHandlerOptions | undefined));
    return true;
  }
}
