import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { CtiServerMessage } from '../../shared/cti/protocol';
import { openAgent, type Agent } from '../helpers/agentPage';
import type { SipPeer } from '../helpers/sipPeer/driver';
import { startTelephonyRig, type TelephonyRig } from '../helpers/telephonyRig';

let rig: TelephonyRig;
let agent: Agent;
let ctiPort: number;
let token: string;
const peers: SipPeer[] = [];

beforeAll(async () => {
  rig = await startTelephonyRig();
  agent = await openAgent(rig.browser, {
    wsUrl: rig.pbx.wsUrl,
    user: '1008',
    password: 'pw1008',
    env: { CALLDESK_CTI_ENABLED: 'true', CALLDESK_CTI_PORT: '0', CALLDESK_DEMO: '1', CALLDESK_DEMO_CUSTOMERS: '20' },
  });
  for (let i = 0; i < 100 && !/cti api listening \{"port":(\d+)\}/.test(agent.host.output()); i++) await new Promise((r) => setTimeout(r, 50));
  ctiPort = Number(/cti api listening \{"port":(\d+)\}/.exec(agent.host.output())![1]);
  token = fs.readFileSync(path.join(agent.host.dataDir, 'cti-token'), 'utf8').trim();
});
afterAll(async () => {
  for (const p of peers) await p.close();
  await agent?.close();
  await rig?.close();
});

function connect(headers: Record<string, string>): Promise<{ ws?: WebSocket; status?: number; messages: CtiServerMessage[] }> {
  return new Promise((resolve) => {
    const messages: CtiServerMessage[] = [];
    const ws = new WebSocket(`ws://127.0.0.1:${ctiPort}/cti`, { headers });
    ws.on('message', (d) => messages.push(JSON.parse(d.toString()) as CtiServerMessage));
    ws.on('open', () => resolve({ ws, messages }));
    ws.on('unexpected-response', (_q, res) => resolve({ status: res.statusCode, messages }));
    ws.on('error', () => undefined);
  });
}

describe('local CTI API (real calls through Kamailio)', () => {
  it('refuses a client without the token and a browser page (Origin header)', async () => {
    expect((await connect({})).status).toBe(401);
    expect((await connect({ authorization: 'Bearer nope' })).status).toBe(401);
    expect((await connect({ authorization: `Bearer ${token}`, origin: 'https://evil.example.com' })).status).toBe(403);
  });

  it('streams ringing with the matched customer, answers and hangs up by command', async () => {
    const { ws, messages } = await connect({ authorization: `Bearer ${token}` });
    await expect.poll(() => messages[0]).toMatchObject({ type: 'hello', version: 1, agent: 'sip:1008@calldesk.test' });
    const caller = await rig.customer('2001');
    peers.push(caller);
    await caller.call('1008', ['P-Asserted-Identity: <sip:+8675588881234@calldesk.test>']);
    const calls = () => messages.filter((m): m is Extract<CtiServerMessage, { type: 'call' }> => m.type === 'call');
    await expect.poll(() => calls().find((m) => m.event === 'ringing'), { timeout: 10_000 }).toBeTruthy();
    const ringing = calls().find((m) => m.event === 'ringing')!;
    expect(ringing.call.number).toBe('+8675588881234');
    expect(ringing.customer?.name).toBe('张伟');

    ws!.send(JSON.stringify({ id: 1, command: 'answer', callId: ringing.call.id }));
    await expect.poll(() => messages.find((m) => m.type === 'result' && m.id === 1)).toMatchObject({ ok: true });
    await expect.poll(() => calls().some((m) => m.event === 'answered'), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => caller.state(), { timeout: 10_000 }).toBe('Established');

    ws!.send(JSON.stringify({ id: 2, command: 'hangup', callId: ringing.call.id }));
    await expect.poll(() => calls().find((m) => m.event === 'ended'), { timeout: 10_000 }).toMatchObject({ call: { endReason: 'local-hangup' } });
    await expect.poll(() => caller.state(), { timeout: 10_000 }).toBe('Terminated');
    ws!.close();
  });

  it('dials by command and refuses malformed commands with a typed error', async () => {
    const callee = await rig.customer('2002', { autoAnswerMs: 200 });
    peers.push(callee);
    const { ws, messages } = await connect({ authorization: `Bearer ${token}` });
    ws!.send('{not json');
    ws!.send(JSON.stringify({ id: 'x', command: 'format-disk' }));
    ws!.send(JSON.stringify({ id: 3, command: 'dial', target: '2002' }));
    await expect.poll(() => messages.filter((m) => m.type === 'result' && !m.ok).length).toBe(2);
    await expect.poll(() => messages.find((m) => m.type === 'result' && m.id === 3)).toMatchObject({ ok: true });
    await expect.poll(() => messages.some((m) => m.type === 'call' && m.event === 'answered'), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => callee.state(), { timeout: 10_000 }).toBe('Established');
    await callee.hangup();
    ws!.close();
  });
});
