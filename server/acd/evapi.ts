import net from 'node:net';
import type { Logger } from '../log';

/**
 * Kamailio evapi transport: JSON objects framed as netstrings (`<len>:<payload>,`, byte length) over
 * one TCP connection (modparam evapi netstring_format=1). Reconnects by itself until closed.
 */

/** Encodes one message as a netstring. */
export function encodeNetstring(obj: unknown): Buffer {
  const payload = Buffer.from(JSON.stringify(obj), 'utf8');
  return Buffer.concat([Buffer.from(`${payload.length}:`), payload, Buffer.from(',')]);
}

/**
 * Splits a byte stream into netstring payloads. Feed chunks as they arrive; complete payloads come
 * out in order, a partial one waits for more bytes. A malformed frame throws (the caller drops the
 * connection: the stream cannot be resynchronised).
 */
export class NetstringDecoder {
  private buf: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): string[] {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    const out: string[] = [];
    for (;;) {
      const colon = this.buf.indexOf(0x3a);
      if (colon < 0) {
        if (this.buf.length > 10) throw new Error('evapi: netstring length too long');
        break;
      }
      const lenText = this.buf.subarray(0, colon).toString('latin1');
      if (!/^\d{1,9}$/.test(lenText)) throw new Error(`evapi: bad netstring length "${lenText.slice(0, 20)}"`);
      const len = Number(lenText);
      if (this.buf.length < colon + 1 + len + 1) break;
      if (this.buf[colon + 1 + len] !== 0x2c) throw new Error('evapi: netstring without its trailing comma');
      out.push(this.buf.subarray(colon + 1, colon + 1 + len).toString('utf8'));
      this.buf = this.buf.subarray(colon + 1 + len + 1);
    }
    return out;
  }
}

/** Options of {@link EvapiClient}. */
export interface EvapiClientOptions {
  host: string;
  port: number;
  logger: Logger;
  /** Delay between connection attempts. */
  retryMs?: number;
  onMessage(msg: Record<string, unknown>): void;
  /** Called on every (re)connection, e.g. to say hello and push the queue numbers. */
  onConnect(): void;
  onDisconnect?(): void;
}

/** A reconnecting evapi connection to one Kamailio. */
export class EvapiClient {
  private socket: net.Socket | null = null;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  private up = false;

  constructor(private readonly opts: EvapiClientOptions) {}

  /** True while connected. */
  get connected(): boolean {
    return this.up;
  }

  /** Starts connecting (and reconnecting after every loss). */
  start(): void {
    this.closed = false;
    this.connect();
  }

  /** Sends one message; false when not connected (the message is dropped). */
  send(obj: Record<string, unknown>): boolean {
    if (!this.up || !this.socket) return false;
    this.socket.write(encodeNetstring(obj));
    return true;
  }

  /** Closes the connection and stops reconnecting. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const s = this.socket;
    this.socket = null;
    if (s && !s.destroyed) {
      await new Promise<void>((resolve) => {
        s.once('close', () => resolve());
        s.destroy();
      });
    }
  }

  private connect(): void {
    if (this.closed) return;
    const decoder = new NetstringDecoder();
    const s = net.connect(this.opts.port, this.opts.host);
    this.socket = s;
    s.setNoDelay(true);
    s.setKeepAlive(true, 5000);
    s.on('connect', () => {
      this.up = true;
      this.opts.logger.info('connected to Kamailio evapi', { host: this.opts.host, port: this.opts.port });
      this.opts.onConnect();
    });
    s.on('data', (chunk) => {
      let payloads: string[];
      try {
        payloads = decoder.push(chunk);
      } catch (err) {
        this.opts.logger.error('unreadable evapi stream: reconnecting', { error: (err as Error).message });
        s.destroy();
        return;
      }
      for (const p of payloads) {
        let msg: unknown;
        try {
          msg = JSON.parse(p);
        } catch {
          this.opts.logger.warn('evapi message is not JSON: ignored', { payload: p.slice(0, 200) });
          continue;
        }
        if (msg && typeof msg === 'object' && !Array.isArray(msg)) this.opts.onMessage(msg as Record<string, unknown>);
      }
    });
    s.on('error', (err) => this.opts.logger.debug('evapi socket error', { error: err.message }));
    s.on('close', () => {
      const was = this.up;
      this.up = false;
      if (this.socket === s) this.socket = null;
      if (was) {
        this.opts.logger.warn('evapi connection lost');
        this.opts.onDisconnect?.();
      }
      if (!this.closed) {
        this.timer = setTimeout(() => this.connect(), this.opts.retryMs ?? 1000);
        this.timer.unref();
      }
    });
  }
}
