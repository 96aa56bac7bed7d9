import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { CallSnapshot } from '../../../shared/phone/call';
import type { ScreenPopResult } from '../../../shared/customer/screenPop';
import { CTI_VERSION, ctiCommandSchema, type CtiCallEvent, type CtiCustomer, type CtiServerMessage } from '../../../shared/cti/protocol';
import type { Dispatcher } from '../api/dispatcher';
import type { CoreBus, CoreEvent } from '../bus/coreBus';
import type { CallCustomers } from '../customer/callCustomers';
import type { Logger } from '../log/logger';
import { CallAnswered, CallDialing, CallEnded, CallHeld, CallResumed, CallRinging, type CallEventBase } from '../phone/callEvents';

/** Options of the local CTI server. */
export interface CtiServerOptions {
  port: number;
  /** File holding the token (created with mode 0600 when missing). */
  tokenFile: string;
  /** The core bus: the phone's call lifecycle events. */
  bus: CoreBus;
  /** The customer of each call (the core's one owner). */
  callCustomers: Pick<CallCustomers, 'pop'>;
  dispatcher: Dispatcher;
  agent(): string;
  logger: Logger;
}

/** A running CTI server. */
export interface CtiServer {
  port: number;
  token: string;
  close(): Promise<void>;
}

/** Reads the CTI token, creating a random one (mode 0600) on first use. */
export function loadOrCreateToken(file: string): string {
  try {
    const existing = fs.readFileSync(file, 'utf8').trim();
    if (existing.length >= 32) return existing;
  } catch {
    // created below
  }
  const token = crypto.randomBytes(32).toString('base64url');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${token}\n`, { mode: 0o600 });
  return token;
}

/** The CTI event each lifecycle event is; `ringing` only for inbound calls (outbound calls report `dialing`). */
const CTI_EVENTS: [CoreEvent<CallEventBase>, CtiCallEvent, ((call: CallSnapshot) => boolean)?][] = [
  [CallRinging, 'ringing', (call) => call.direction === 'inbound'],
  [CallDialing, 'dialing'],
  [CallAnswered, 'answered'],
  [CallHeld, 'held'],
  [CallResumed, 'resumed'],
  [CallEnded, 'ended'],
];

function customerOf(pop: ScreenPopResult | undefined): CtiCustomer | null {
  if (!pop || pop.kind !== 'match') return null;
  const c = pop.customer;
  return { id: c.id, code: c.code, name: c.name, company: c.company, level: c.level };
}

/**
 * The local CTI API (see shared/cti/protocol.ts): streams call events with the matched customer
 * and takes dial / answer / hangup commands, on 127.0.0.1 only, with a token, refusing browsers.
 */
export async function startCtiServer(options: CtiServerOptions): Promise<CtiServer> {
  const { bus, callCustomers, dispatcher, logger } = options;
  const token = loadOrCreateToken(options.tokenFile);
  const server = http.createServer((_req, res) => res.writeHead(426, { 'content-type': 'text/plain' }).end('WebSocket only\n'));
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const given = (req.headers.authorization ?? '').replace(/^Bearer\s+/i, '') || url.searchParams.get('token') || '';
    const refuse = (status: number, reason: string) => {
      logger.warn('cti connection refused', { reason });
      socket.write(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      socket.destroy();
    };
    if (url.pathname !== '/cti') return refuse(404, 'Not Found');
    const a = Buffer.from(given);
    const b = Buffer.from(token);
    if (a.length !== b.length || !crypto.timingSafeEqual(a, b)) return refuse(401, 'Unauthorized');
    if (req.headers.origin) return refuse(403, 'Forbidden');
    wss.handleUpgrade(req, socket, head, (ws) => attach(ws));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });

  const clients = new Set<WebSocket>();
  const broadcast = (msg: CtiServerMessage) => {
    const text = JSON.stringify(msg);
    for (const ws of clients) if (ws.readyState === ws.OPEN) ws.send(text);
  };
  const offCalls = CTI_EVENTS.map(([coreEvent, event, when]) =>
    bus.on(coreEvent, ({ call }) => {
      if (when && !when(call)) return;
      broadcast({
        type: 'call',
        event,
        call: {
          id: call.id,
          direction: call.direction,
          number: call.remote.number,
          displayName: call.remote.displayName,
          headers: call.headers,
          createdAt: call.times.created,
          answeredAt: call.times.answered ?? null,
          endedAt: call.times.ended ?? null,
          endReason: call.end?.reason ?? null,
        },
        customer: customerOf(callCustomers.pop(call.id)),
      });
    }),
  );

  const attach = (ws: WebSocket) => {
    clients.add(ws);
    logger.info('cti client connected', { clients: clients.size });
    const send = (msg: CtiServerMessage) => ws.readyState === ws.OPEN && ws.send(JSON.stringify(msg));
    send({ type: 'hello', version: CTI_VERSION, agent: options.agent() });
    ws.on('message', async (data) => {
      let json: unknown;
      try {
        json = JSON.parse(data.toString());
      } catch {
        return send({ type: 'result', id: null, ok: false, error: { code: 'INVALID_PAYLOAD', message: 'not JSON' } });
      }
      const parsed = ctiCommandSchema.safeParse(json);
      if (!parsed.success) {
        const id = (json as { id?: unknown })?.id;
        logger.warn('cti command refused', { issues: parsed.error.issues.map((i) => i.message) });
        return send({ type: 'result', id: typeof id === 'number' || typeof id === 'string' ? id : null, ok: false, error: { code: 'INVALID_PAYLOAD', message: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') } });
      }
      const cmd = parsed.data;
      const result =
        cmd.command === 'dial'
          ? await dispatcher.invoke('call:dial', { target: cmd.target }, { transport: 'ws', client: 'cti' })
          : await dispatcher.invoke(cmd.command === 'answer' ? 'call:answer' : 'call:hangup', { callId: cmd.callId }, { transport: 'ws', client: 'cti' });
      if (result.ok) send({ type: 'result', id: cmd.id, ok: true, callId: (result.value as { id: string }).id });
      else send({ type: 'result', id: cmd.id, ok: false, error: { code: result.error.code, message: result.error.message } });
    });
    ws.on('close', () => clients.delete(ws));
    ws.on('error', () => clients.delete(ws));
  };

  return {
    port: (server.address() as AddressInfo).port,
    token,
    async close() {
      for (const off of offCalls) off();
      for (const ws of clients) ws.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
