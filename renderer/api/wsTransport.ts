import type { ClientTransport } from '../../shared/api/contract';
import { fail, type Result } from '../../shared/api/result';
import { WS_PATH, type WsServerMessage } from '../../shared/api/wsProtocol';

/** Connection state of the renderer to the core. */
export type ConnectionState = 'connecting' | 'connected' | 'disconnected';

/** A transport over the browser host's WebSocket that reconnects by itself. */
export interface WsTransport extends ClientTransport {
  onConnection(listener: (state: ConnectionState) => void): () => void;
  close(): void;
}

const INVOKE_TIMEOUT_MS = 30_000;

/**
 * Connects to the browser host at `url` (with its token). Calls made while disconnected answer
 * DISCONNECTED at once rather than hanging; reconnects with capped backoff.
 */
export function createWsTransport(url: string, WebSocketImpl: typeof WebSocket = WebSocket): WsTransport {
  let ws: WebSocket | null = null;
  let state: ConnectionState = 'connecting';
  let nextId = 1;
  let attempt = 0;
  let closed = false;
  const pending = new Map<number, { resolve: (r: Result<unknown>) => void; timer: ReturnType<typeof setTimeout> }>();
  const subscribers = new Map<string, Set<(payload: unknown) => void>>();
  const connectionListeners = new Set<(s: ConnectionState) => void>();

  const setState = (s: ConnectionState) => {
    if (s === state) return;
    state = s;
    connectionListeners.forEach((l) => l(s));
  };
  const failPending = () => {
    for (const [id, p] of pending) {
      clearTimeout(p.timer);
      p.resolve(fail('DISCONNECTED', 'The connection to the CallDesk core was lost'));
      pending.delete(id);
    }
  };
  const connect = () => {
    if (closed) return;
    setState('connecting');
    const socket = new WebSocketImpl(url);
    ws = socket;
    socket.onopen = () => {
      attempt = 0;
      setState('connected');
    };
    socket.onmessage = (ev) => {
      let msg: WsServerMessage;
      try {
        msg = JSON.parse(String(ev.data)) as WsServerMessage;
      } catch {
        return;
      }
      if (msg.type === 'result') {
        const p = pending.get(msg.id);
        if (!p) return;
        clearTimeout(p.timer);
        pending.delete(msg.id);
        p.resolve(msg.result as Result<unknown>);
      } else if (msg.type === 'event') {
        subscribers.get(msg.channel)?.forEach((l) => l(msg.payload));
      }
    };
    socket.onclose = () => {
      if (ws !== socket) return;
      ws = null;
      failPending();
      setState('disconnected');
      if (closed) return;
      const delay = Math.min(5000, 250 * 2 ** attempt++) * (0.8 + Math.random() * 0.4);
      setTimeout(connect, delay);
    };
  };
  connect();

  return {
    invoke(channel, payload) {
      if (!ws || ws.readyState !== WebSocketImpl.OPEN) {
        return Promise.resolve(fail('DISCONNECTED', 'Not connected to the CallDesk core'));
      }
      const id = nextId++;
      const socket = ws;
      return new Promise<Result<unknown>>((resolve) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          resolve(fail('TIMEOUT', `No answer to ${channel} in time`));
        }, INVOKE_TIMEOUT_MS);
        pending.set(id, { resolve, timer });
        socket.send(JSON.stringify({ type: 'invoke', id, channel, payload: payload ?? null }));
      });
    },
    subscribe(channel, listener) {
      let set = subscribers.get(channel);
      if (!set) subscribers.set(channel, (set = new Set()));
      set.add(listener);
      return () => set.delete(listener);
    },
    onConnection(listener) {
      connectionListeners.add(listener);
      listener(state);
      return () => connectionListeners.delete(listener);
    },
    close() {
      closed = true;
      ws?.close();
    },
  };
}

/** The WebSocket URL of the browser host serving this page, with the per-launch token. */
export function browserHostUrl(location: Location, storage: Storage): string | null {
  const fromQuery = new URLSearchParams(location.search).get('token');
  if (fromQuery) storage.setItem('calldesk.token', fromQuery);
  const token = fromQuery ?? storage.getItem('calldesk.token');
  if (!token) return null;
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${location.host}${WS_PATH}?token=${encodeURIComponent(token)}`;
}
