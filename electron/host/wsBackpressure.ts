import type { WsServerMessage } from '../../shared/api/wsProtocol';

/** The part of a `ws` socket the sender uses (a fake in unit tests). */
export interface BackpressureSocket {
  readonly bufferedAmount: number;
  readonly readyState: number;
  readonly OPEN: number;
  send(data: string): void;
  close(code: number, reason: string): void;
  terminate(): void;
}

/** Limits of one client's outgoing queue. */
export interface BackpressureLimits {
  /** Bytes queued in the socket above which messages wait here (and snapshots coalesce). */
  highWaterBytes: number;
  /** Messages waiting here that cannot be coalesced; one more closes the client. */
  maxPending: number;
  /** How often a waiting queue checks whether the socket has drained (ms). */
  pollMs: number;
  /** How long a closing client may take to finish the close handshake before it is cut (ms). */
  closeGraceMs: number;
}

/** Defaults: 1 MiB in the socket, 2,000 waiting messages (a renderer reading normally never waits). */
export const DEFAULT_BACKPRESSURE: BackpressureLimits = { highWaterBytes: 1024 * 1024, maxPending: 2000, pollMs: 25, closeGraceMs: 2000 };

/** WebSocket close code for a client that stopped reading (private range). */
export const SLOW_CLIENT_CLOSE_CODE = 4008;

/**
 * Event channels whose payload is the whole state: a newer one replaces a waiting older one.
 * Entity channels (`ticket:changed`...) coalesce per record id.
 */
const SNAPSHOT_CHANNELS = new Set(['core:state', 'phone:state', 'agent:state', 'sync:state', 'call:links-pending']);
const ENTITY_CHANNELS = new Set(['ticket:changed', 'task:changed']);

/** What a bounded sender offers the host. */
export interface BoundedSender {
  send(msg: WsServerMessage): void;
  /** Messages waiting for the socket to drain. */
  pending(): number;
  /** Stops the drain timer (the socket closed). */
  dispose(): void;
}

/**
 * Sends to one browser-host client without letting a client that stops reading grow the host
 * without bound. While the socket holds more than `highWaterBytes`, messages wait here in order;
 * a newer snapshot (or a newer version of the same record) replaces the one waiting, and moves to
 * the end so it never overtakes what came before it. When more than `maxPending` messages that
 * cannot be coalesced wait, the client is closed with {@link SLOW_CLIENT_CLOSE_CODE} and a reason
 * (a reloaded renderer reads the whole state again on connect).
 */
export function createBoundedSender(ws: BackpressureSocket, onSlowClient: (detail: { bufferedBytes: number; pending: number }) => void, limits: BackpressureLimits = DEFAULT_BACKPRESSURE): BoundedSender {
  const waiting = new Map<string, string>();
  let unique = 0;
  let oneOffs = 0;
  let timer: NodeJS.Timeout | null = null;
  let closed = false;

  const open = () => !closed && ws.readyState === ws.OPEN;

  const flush = () => {
    while (open() && waiting.size > 0 && ws.bufferedAmount < limits.highWaterBytes) {
      const [key, data] = waiting.entries().next().value as [string, string];
      waiting.delete(key);
      if (key.startsWith('#')) oneOffs--;
      ws.send(data);
    }
    if (!open()) waiting.clear();
    if (waiting.size === 0 && timer) {
      clearInterval(timer);
      timer = null;
    } else if (waiting.size > 0 && !timer) {
      timer = setInterval(flush, limits.pollMs);
      timer.unref?.();
    }
  };

  const closeSlow = () => {
    const detail = { bufferedBytes: ws.bufferedAmount, pending: waiting.size };
    closed = true;
    waiting.clear();
    if (timer) clearInterval(timer);
    timer = null;
    onSlowClient(detail);
    ws.close(SLOW_CLIENT_CLOSE_CODE, 'Client not reading: too many messages waiting');
    // A client that does not read will not answer the close either: cut it instead of holding its buffer.
    setTimeout(() => ws.terminate(), limits.closeGraceMs).unref?.();
  };

  return {
    send(msg) {
      if (!open()) return;
      const data = JSON.stringify(msg);
      if (waiting.size === 0 && ws.bufferedAmount < limits.highWaterBytes) {
        ws.send(data);
        return;
      }
      const key = keyOf(msg) ?? `#${++unique}`;
      if (key.startsWith('#')) {
        if (oneOffs >= limits.maxPending) return closeSlow();
        oneOffs++;
      }
      waiting.delete(key);
      waiting.set(key, data);
      flush();
    },
    pending: () => waiting.size,
    dispose() {
      closed = true;
      waiting.clear();
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
}

/** The coalescing key of a message, or null when it must be delivered as it is. */
function keyOf(msg: WsServerMessage): string | null {
  if (msg.type !== 'event') return null;
  if (SNAPSHOT_CHANNELS.has(msg.channel)) return msg.channel;
  if (ENTITY_CHANNELS.has(msg.channel)) {
    const id = (msg.payload as { id?: unknown } | null)?.id;
    if (typeof id === 'string' || typeof id === 'number') return `${msg.channel}:${String(id)}`;
  }
  return null;
}
