import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { EVENT_CHANNELS, INVOKE_CHANNELS } from '../../../shared/api/contract';
import { WS_PATH, type WsServerMessage } from '../../../shared/api/wsProtocol';
import { startBrowserHost, type BrowserHost } from '../../../electron/host/startBrowserHost';
import { ROOT, tempDataDir } from '../../helpers/hostProcess';
import { createMemorySink, type LogRecord } from '../../../electron/core/log/logger';

let host: BrowserHost;
let logs: LogRecord[];

beforeAll(async () => {
  host = await startBrowserHost({ appRoot: ROOT, dataDir: tempDataDir(), env: { CALLDESK_POLICY_FILE: '/nonexistent/policy.json' } });
  const sink = createMemorySink();
  host.core.logRoot.addSink(sink);
  logs = sink.records;
});
afterAll(() => host?.close());

const wsUrl = (token: string) => `ws://127.0.0.1:${host.web.port}${WS_PATH}?token=${encodeURIComponent(token)}`;

/** Opens a socket; resolves with the HTTP status when the upgrade is refused. */
function connect(token: string, origin: string | undefined): Promise<{ ws?: WebSocket; status?: number; messages: WsServerMessage[] }> {
  return new Promise((resolve) => {
    const messages: WsServerMessage[] = [];
    const ws = new WebSocket(wsUrl(token), origin ? { origin } : {});
    ws.on('message', (d) => messages.push(JSON.parse(d.toString()) as WsServerMessage));
    ws.on('open', () => resolve({ ws, messages }));
    ws.on('unexpected-response', (_req, res) => resolve({ status: res.statusCode, messages }));
    ws.on('error', () => undefined);
  });
}

async function call(ws: WebSocket, messages: WsServerMessage[], id: number, channel: string, payload?: unknown) {
  ws.send(JSON.stringify({ type: 'invoke', id, channel, payload }));
  await expect.poll(() => messages.find((m) => m.type === 'result' && m.id === id)).toBeTruthy();
  return (messages.find((m) => m.type === 'result' && m.id === id) as { result: { ok: boolean; value?: unknown; error?: { code: string } } }).result;
}

describe('browser host WebSocket transport', () => {
  it('refuses a connection without the token', async () => {
    expect((await connect('', host.web.origin)).status).toBe(401);
    expect((await connect('wrong-token', host.web.origin)).status).toBe(401);
    expect(logs.some((l) => l.msg === 'websocket refused' && l.fields?.reason === 'Unauthorized')).toBe(true);
  });

  it('refuses a connection from another origin, or with no origin', async () => {
    expect((await connect(host.web.token, 'http://evil.example.com')).status).toBe(403);
    expect((await connect(host.web.token, 'http://127.0.0.1:1')).status).toBe(403);
    expect((await connect(host.web.token, undefined)).status).toBe(403);
  });

  it('accepts its own origin with the token and pushes the core state at once', async () => {
    const { ws, messages } = await connect(host.web.token, host.web.origin);
    await expect.poll(() => messages.find((m) => m.type === 'event' && m.channel === 'core:state')).toBeTruthy();
    const info = await call(ws!, messages, 1, 'app:info');
    expect(info).toMatchObject({ ok: true, value: { host: 'web', name: 'CallDesk' } });
    ws!.close();
  });

  it('answers a payload that fails its schema with a typed error and a log line', async () => {
    const { ws, messages } = await connect(host.web.token, host.web.origin);
    const r = await call(ws!, messages, 7, 'settings:set', { key: ['not', 'a', 'string'] });
    expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    expect(logs.some((l) => l.msg === 'invalid payload' && l.fields?.transport === 'ws')).toBe(true);
    ws!.close();
  });

  it('survives malformed frames and keeps serving', async () => {
    const { ws, messages } = await connect(host.web.token, host.web.origin);
    ws!.send('{{{ not json');
    ws!.send(JSON.stringify({ type: 'invoke', id: 'x' }));
    ws!.send(JSON.stringify({ type: 'invoke', id: 3, channel: 42 }));
    await expect.poll(() => messages.filter((m) => m.type === 'error').length).toBe(2);
    expect(messages.find((m) => m.type === 'result' && m.id === 3)).toMatchObject({ result: { ok: false, error: { code: 'INVALID_PAYLOAD' } } });
    expect((await call(ws!, messages, 4, 'settings:get')).ok).toBe(true);
    ws!.close();
  });

  it('serves every invoke channel of the contract and forwards every event channel', async () => {
    const { ws, messages } = await connect(host.web.token, host.web.origin);
    let id = 100;
    for (const channel of INVOKE_CHANNELS) {
      const r = await call(ws!, messages, id++, channel);
      if (!r.ok) expect(r.error?.code, channel).not.toBe('UNKNOWN_CHANNEL');
    }
    for (const channel of EVENT_CHANNELS) {
      const payload = channel === 'core:state' ? host.core.state() : { title: 't', body: 'b', focus: false };
      host.core.events.emit(channel, payload as never);
      await expect.poll(() => messages.filter((m) => m.type === 'event' && m.channel === channel).length, { message: channel }).toBeGreaterThan(0);
    }
    ws!.close();
  });

  it('pushes a settings change to every connected renderer', async () => {
    const a = await connect(host.web.token, host.web.origin);
    const b = await connect(host.web.token, host.web.origin);
    await call(a.ws!, a.messages, 1, 'settings:set', { key: 'ui.theme', value: 'dark' });
    await expect
      .poll(() => b.messages.some((m) => m.type === 'event' && m.channel === 'core:state' && JSON.stringify(m.payload).includes('"dark"')))
      .toBe(true);
    a.ws!.close();
    b.ws!.close();
  });

  it('bounds what it holds for a client that stops reading: state snapshots coalesce, and a flood of events closes it with a reason', async () => {
    const closedWith = (ws: WebSocket) => new Promise<{ code: number; reason: string }>((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    const socketOf = (ws: WebSocket) => (ws as unknown as { _socket: { pause(): void; resume(): void } })._socket;
    // A renderer that stops reading (a frozen tab) while the core keeps publishing its state.
    const frozen = await connect(host.web.token, host.web.origin);
    const healthy = await connect(host.web.token, host.web.origin);
    await expect.poll(() => frozen.messages.length).toBeGreaterThan(0);
    socketOf(frozen.ws!).pause();
    const bulky = { ...host.core.state(), padding: 'x'.repeat(16 * 1024) };
    const floods = 2000;
    for (let i = 0; i < floods; i++) host.core.events.emit('core:state', { ...bulky, n: i } as never);
    host.core.events.emit('core:state', { ...bulky, n: 'last' } as never);
    socketOf(frozen.ws!).resume();
    const states = () => frozen.messages.filter((m) => m.type === 'event' && m.channel === 'core:state').map((m) => (m as { payload: { n?: unknown } }).payload.n);
    await expect.poll(() => states().at(-1), { timeout: 30_000 }).toBe('last');
    // 32 MB of snapshots were published; the frozen client got the latest without the host holding them all.
    expect(states().length).toBeLessThan(floods / 2);
    await expect.poll(() => healthy.messages.filter((m) => m.type === 'event' && m.channel === 'core:state').some((m) => (m as { payload: { n?: unknown } }).payload.n === 'last')).toBe(true);

    // Events that cannot be coalesced (notifications) pile up: past the limit the client is closed.
    socketOf(frozen.ws!).pause();
    const closed = closedWith(frozen.ws!);
    // In bursts, as a busy core would: a reading client keeps up between them.
    for (let i = 0; i < 3000; i++) {
      host.core.events.emit('app:notification', { title: `n${i}`, body: 'y'.repeat(8 * 1024), focus: false });
      if (i % 25 === 24) await new Promise((r) => setTimeout(r, 5));
    }
    socketOf(frozen.ws!).resume();
    expect(await closed).toEqual({ code: 4008, reason: expect.stringMatching(/not reading/) });
    expect(logs.some((l) => l.msg === 'slow client closed: it stopped reading')).toBe(true);
    // The reading renderer was not affected.
    expect((await call(healthy.ws!, healthy.messages, 900, 'app:info')).ok).toBe(true);
    healthy.ws!.close();
  }, 120_000);

  it('serves the renderer with a strict CSP on 127.0.0.1 only', async () => {
    expect(host.web.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${host.web.origin}/`);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    const traversal = await fetch(`${host.web.origin}/..%2f..%2fpackage.json`);
    expect(await traversal.text()).not.toContain('"devDependencies"');
    expect((await fetch(`${host.web.origin}/%E0%A4%A`)).status).toBe(400);
    expect((await fetch(`${host.web.origin}/`)).status).toBe(200);
  });
});
