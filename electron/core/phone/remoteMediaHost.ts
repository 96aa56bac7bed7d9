import { AppError } from '../../../shared/api/result';
import {
  mediaMethodNeedsResponse,
  type MediaDescription,
  type MediaHost,
  type MediaOptions,
} from '../../../shared/phone/mediaHost';
import type { MediaRequest, MediaResponse } from '../../../shared/media/api';
import type { Logger } from '../log/logger';
import { systemScheduler, type Scheduler, type TimerHandle } from '../adapters/scheduler';

/** Options of {@link RemoteMediaHost}. */
export interface RemoteMediaHostOptions {
  /** Delivers a request to the media host (the core emits `media:request`). */
  send(request: MediaRequest): void;
  logger: Logger;
  /** How long a request may wait for its `media:respond` (ms). */
  timeoutMs?: number;
  /** Timers of the request timeouts; the real timers when absent. */
  scheduler?: Scheduler;
}

interface Pending {
  resolve(value: unknown): void;
  reject(err: Error): void;
  timer: TimerHandle;
  method: string;
  callId: string;
}

/**
 * The core's side of the media channel: a {@link MediaHost} whose calls become `media:request`
 * messages with ids; `respond()` settles them (`media:respond`), a timeout rejects them. `ready()`
 * is called on `media:ready` when the renderer's media engine (re)starts.
 */
export class RemoteMediaHost implements MediaHost {
  private readonly pending = new Map<string, Pending>();
  private readonly readyListeners = new Set<(hostId: string, restarted: boolean) => void>();
  private seq = 0;
  private hostId: string | null = null;
  private readonly timeoutMs: number;
  private readonly scheduler: Scheduler;

  constructor(private readonly options: RemoteMediaHostOptions) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.scheduler = options.scheduler ?? systemScheduler;
  }

  /** Whether a media host has announced itself. */
  get isReady(): boolean {
    return this.hostId !== null;
  }

  /** Settles the request with this id; false when no such request is pending (late or unknown). */
  respond(response: MediaResponse): boolean {
    const p = this.pending.get(response.id);
    if (!p) {
      this.options.logger.warn('media response for no pending request', { id: response.id });
      return false;
    }
    this.pending.delete(response.id);
    this.scheduler.clearTimeout(p.timer);
    if (response.error) p.reject(new AppError('UNAVAILABLE', `media ${p.method} failed: ${response.error.message}`));
    else p.resolve(response.result);
    return true;
  }

  /**
   * The media host (re)started. Pending requests to a previous host can never be answered: they
   * fail now. Listeners learn whether this is a restart (a different host id than before).
   */
  ready(hostId: string): void {
    const restarted = this.hostId !== null && this.hostId !== hostId;
    const first = this.hostId === null;
    this.hostId = hostId;
    if (restarted) this.failAll('media host restarted');
    this.options.logger.info('media host ready', { hostId, restarted, first });
    for (const l of [...this.readyListeners]) l(hostId, restarted || first);
  }

  /** Subscribes to `ready()`; `renegotiate` is true on a first start or a restart. */
  onReady(listener: (hostId: string, renegotiate: boolean) => void): () => void {
    this.readyListeners.add(listener);
    return () => this.readyListeners.delete(listener);
  }

  /** Rejects every pending request (shutdown, host restart). */
  failAll(reason: string): void {
    for (const [id, p] of this.pending) {
      this.scheduler.clearTimeout(p.timer);
      p.reject(new AppError('UNAVAILABLE', `media ${p.method} for call ${p.callId}: ${reason}`));
      this.pending.delete(id);
    }
  }

  async getDescription(callId: string, options: MediaOptions, modifiers: string[]): Promise<MediaDescription> {
    const result = await this.request(callId, 'getDescription', [options, modifiers]);
    const r = result as Partial<MediaDescription> | null;
    if (!r || typeof r.body !== 'string' || typeof r.contentType !== 'string') {
      throw new AppError('UNAVAILABLE', 'media host answered getDescription without a description');
    }
    return { body: r.body, contentType: r.contentType };
  }

  async setDescription(callId: string, sdp: string, options: MediaOptions, modifiers: string[]): Promise<void> {
    await this.request(callId, 'setDescription', [sdp, options, modifiers]);
  }

  async rollbackDescription(callId: string): Promise<void> {
    await this.request(callId, 'rollbackDescription', []);
  }

  sendDtmf(callId: string, tones: string, options: MediaOptions): void {
    this.fire(callId, 'sendDtmf', [tones, options]);
  }

  setMuted(callId: string, muted: boolean): void {
    this.fire(callId, 'setMuted', [muted]);
  }

  close(callId: string): void {
    this.fire(callId, 'close', []);
  }

  private nextId(): string {
    this.seq += 1;
    return `m${this.seq}`;
  }

  private fire(callId: string, method: MediaRequest['method'], args: unknown[]): void {
    this.options.send({ id: this.nextId(), callId, method, args });
  }

  private request(callId: string, method: MediaRequest['method'], args: unknown[]): Promise<unknown> {
    if (!mediaMethodNeedsResponse(method)) throw new AppError('INTERNAL', `${method} is fire-and-forget`);
    const id = this.nextId();
    return new Promise<unknown>((resolve, reject) => {
      const timer = this.scheduler.setTimeout(() => {
        this.pending.delete(id);
        this.options.logger.warn('media request timed out', { id, callId, method, ms: this.timeoutMs });
        reject(new AppError('TIMEOUT', `media ${method} for call ${callId} got no answer in ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      this.pending.set(id, { resolve, reject, timer, method, callId });
      try {
        this.options.send({ id, callId, method, args });
      } catch (err) {
        this.scheduler.clearTimeout(timer);
        this.pending.delete(id);
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    });
  }
}
