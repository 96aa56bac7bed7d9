import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { EVENT_CHANNELS } from '../../shared/api/contract';
import { fail } from '../../shared/api/result';
import { WS_MAX_MESSAGE_BYTES, WS_PATH, wsClientMessageSchema, type WsServerMessage } from '../../shared/api/wsProtocol';
import type { Core } from '../core/createCore';
import { serveStatic } from './staticFiles';
import { createBoundedSender, DEFAULT_BACKPRESSURE, type BackpressureLimits } from './wsBackpressure';

/** Options of the browser host. */
export interface WebHostOptions {
  core: Core;
  /** Folder of the built renderer. */
  staticDir: string;
  /** 0 picks a free port. */
  port?: number;
  /** Per-launch token; generated when absent. */
  token?: string;
  /** Limits of each client's outgoing queue (tests). */
  backpressure?: BackpressureLimits;
}

/** A running browser host. */
export interface WebHost {
  /** URL to open, with the token. */
  url: string;
  origin: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

/** Compares tokens in constant time. */
function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

/**
 * Serves the renderer on 127.0.0.1 and the API contract over a WebSocket. A connection must carry
 * the per-launch token and come from this host's own origin; anything else is refused before the
 * upgrade.
 */
export async function startWebHost({ core, staticDir, port = 0, token = crypto.randomBytes(24).toString('base64url'), backpressure = DEFAULT_BACKPRESSURE }: WebHostOptions): Promise<WebHost> {
  const log = core.logger('host.web');
  const server = http.createServer((req, res) => serveStatic(staticDir, req, res));
  const wss = new WebSocketServer({ noServer: true, maxPayload: WS_MAX_MESSAGE_BYTES });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const actualPort = (server.address() as AddressInfo).port;
  const allowedOrigins = new Set([`http://127.0.0.1:${actualPort}`, `http://localhost:${actualPort}`]);

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const refuse = (status: number, reason: string) => {
      log.warn('websocket refused', { reason, origin: req.headers.origin ?? '(none)' });
      socket.write(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      socket.destroy();
    };
    if (url.pathname !== WS_PATH) return refuse(404, 'Not Found');
    if (!sameToken(url.searchParams.get('token') ?? '', token)) return refuse(401, 'Unauthorized');
    if (!allowedOrigins.has(req.headers.origin ?? '')) return refuse(403, 'Forbidden');
    wss.handleUpgrade(req, socket, head, (ws) => attach(ws));
  });

  let clients = 0;
  const attach = (ws: WebSocket) => {
    const client = `ws-${++clients}`;
    const sender = createBoundedSender(ws, (detail) => log.warn('slow client closed: it stopped reading', { client, ...detail }), backpressure);
    const send = (msg: WsServerMessage) => sender.send(msg);
    const unsubscribers = EVENT_CHANNELS.map((channel) => core.events.on(channel, (payload) => send({ type: 'event', channel, payload })));
    send({ type: 'event', channel: 'core:state', payload: core.state() });
    ws.on('message', async (data) => {
      let json: unknown;
      try {
        json = JSON.parse(data.toString());
      } catch {
        log.warn('malformed message', { client });
        return send({ type: 'error', message: 'Malformed message: not JSON' });
      }
      const msg = wsClientMessageSchema.safeParse(json);
      if (!msg.success) {
        log.warn('malformed envelope', { client });
        const id = (json as { id?: unknown })?.id;
        if (typeof id === 'number') return send({ type: 'result', id, result: fail('INVALID_PAYLOAD', 'Malformed invoke envelope') });
        return send({ type: 'error', message: 'Malformed message: expected {type:"invoke", id, channel, payload}' });
      }
      const result = await core.dispatcher.invoke(msg.data.channel, msg.data.payload, { transport: 'ws', client });
      send({ type: 'result', id: msg.data.id, result });
    });
    ws.on('close', () => {
      unsubscribers.forEach((u) => u());
      sender.dispose();
    });
    ws.on('error', (err) => log.warn('socket error', { client, error: err }));
  };

  const origin = `http://127.0.0.1:${actualPort}`;
  return {
    url: `${origin}/?token=${encodeURIComponent(token)}`,
    origin,
    port: actualPort,
    token,
    async close() {
      for (const ws of wss.clients) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
