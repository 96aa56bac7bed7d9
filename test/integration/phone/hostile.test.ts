import dgram from 'node:dgram';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningPbx } from '../../../scripts/pbx.mjs';
import { registeredPhone, startTestPbx, type TestPhone } from '../../helpers/phoneHarness';

let pbx: RunningPbx;
let agent: TestPhone;
let peer: TestPhone;
let sock: dgram.Socket;
let localPort = 0;

beforeAll(async () => {
  pbx = await startTestPbx();
  [agent, peer] = await Promise.all([registeredPhone(pbx, '1001'), registeredPhone(pbx, '1002')]);
  sock = dgram.createSocket('udp4');
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
  localPort = sock.address().port;
});

afterAll(async () => {
  sock?.close();
  await agent?.stop().catch(() => undefined);
  await peer?.stop().catch(() => undefined);
  await pbx?.stop();
});

let seq = 0;
/** Sends one raw SIP request over UDP to Kamailio; resolves with the status codes received until a final one (or 3 s). */
function sendRaw(build: (ids: { callId: string; branch: string; tag: string; port: number }) => string): Promise<number[]> {
  seq += 1;
  const ids = { callId: `hostile-${seq}-${Date.now()}`, branch: `z9hG4bK-hostile-${seq}-${Date.now()}`, tag: `t${seq}`, port: localPort };
  const codes: number[] = [];
  return new Promise((resolve) => {
    const done = () => {
      sock.off('message', onMessage);
      clearTimeout(timer);
      resolve(codes);
    };
    const onMessage = (msg: Buffer) => {
      const text = msg.toString('utf8');
      if (!text.includes(ids.callId)) return;
      const m = /^SIP\/2\.0 (\d{3})/.exec(text);
      if (!m) return;
      const code = Number(m[1]);
      codes.push(code);
      if (code >= 200) {
        // ACK a final non-2xx INVITE response hop-by-hop so Kamailio stops retransmitting.
        const cseq = /^CSeq:\s*(\d+)\s+INVITE/im.exec(text);
        const to = /^To:.*$/im.exec(text)?.[0];
        if (cseq && to) {
          sock.send(
            [
              `ACK sip:1001@calldesk.test SIP/2.0`,
              `Via: SIP/2.0/UDP 127.0.0.1:${ids.port};branch=${ids.branch};rport`,
              'Max-Forwards: 70',
              `From: <sip:hostile@127.0.0.1:${ids.port}>;tag=${ids.tag}`,
              to,
              `Call-ID: ${ids.callId}`,
              `CSeq: ${cseq[1]} ACK`,
              'Content-Length: 0',
              '',
              '',
            ].join('\r\n'),
            pbx.sipPort,
            '127.0.0.1',
          );
        }
        done();
      }
    };
    const timer = setTimeout(done, 3000);
    sock.on('message', onMessage);
    sock.send(build(ids).replace(/\r?\n/g, '\r\n'), pbx.sipPort, '127.0.0.1');
  });
}

function invite(ids: { callId: string; branch: string; tag: string; port: number }, opts: { body?: string; extra?: string[]; drop?: string[] } = {}): string {
  const body = opts.body ?? '';
  const headers = [
    `Via: SIP/2.0/UDP 127.0.0.1:${ids.port};branch=${ids.branch};rport`,
    'Max-Forwards: 70',
    `From: "Hostile" <sip:hostile@127.0.0.1:${ids.port}>;tag=${ids.tag}`,
    'To: <sip:1001@calldesk.test>',
    `Call-ID: ${ids.callId}`,
    'CSeq: 1 INVITE',
    `Contact: <sip:hostile@127.0.0.1:${ids.port}>`,
    ...(opts.extra ?? []),
    ...(body ? ['Content-Type: application/sdp'] : []),
    `Content-Length: ${Buffer.byteLength(body)}`,
  ].filter((h) => !(opts.drop ?? []).some((d) => h.toLowerCase().startsWith(d.toLowerCase())));
  return ['INVITE sip:1001@calldesk.test SIP/2.0', ...headers, '', body].join('\r\n');
}

function kamailioLog(): string {
  return readFileSync(pbx.logFile, 'utf8');
}

async function stillHealthy(): Promise<void> {
  expect(agent.service.state().registration.state).toBe('registered');
  expect(agent.service.state().calls.filter((c) => c.state !== 'ended')).toEqual([]);
  // And it still takes a normal call.
  const out = await peer.service.dial('1001');
  const ringing = await agent.waitForCall((c) => c.direction === 'inbound' && c.state === 'ringing', 'a normal call rings');
  await peer.service.hangup(out.id);
  await agent.waitForCall((c) => c.id === ringing.id && c.state === 'ended', 'normal call ended');
}

describe('hostile SIP sent to the agent through Kamailio', () => {
  it('garbage SDP: the agent answers 488 and logs why', async () => {
    const codes = await sendRaw((ids) => invite(ids, { body: 'this is not a session description\r\n' }));
    console.log(`[phone] garbage SDP -> ${codes.join(', ')}`);
    expect(codes).toContain(488);
    expect(agent.logs.some((r) => r.level === 'warn' && r.msg === 'rejecting INVITE with an unusable SDP offer')).toBe(true);
    await stillHealthy();
  });

  it('missing mandatory headers (no CSeq, no Contact): rejected or dropped, with a log line', async () => {
    const noCseq = await sendRaw((ids) => invite(ids, { drop: ['CSeq:'] }));
    const noContact = await sendRaw((ids) => invite(ids, { drop: ['Contact:'] }));
    console.log(`[phone] no CSeq -> [${noCseq.join(', ')}]; no Contact -> [${noContact.join(', ')}]`);
    expect(noCseq.every((c) => c === 100 || c >= 400)).toBe(true);
    expect(noContact.every((c) => c === 100 || c >= 400)).toBe(true);
    const log = kamailioLog();
    const agentLogged = agent.logs.some((r) => r.level === 'warn' || r.level === 'error');
    expect(/Malformed SIP message|ERROR|WARNING/.test(log) || agentLogged).toBe(true);
    await stillHealthy();
  });

  it('oversized headers: the agent refuses the INVITE with 513 and logs it', async () => {
    const big = 'x'.repeat(20_000);
    const codes = await sendRaw((ids) => invite(ids, { body: 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n', extra: [`X-Big: ${big}`] }));
    console.log(`[phone] oversized INVITE -> ${codes.join(', ')}`);
    expect(codes.some((c) => c >= 400)).toBe(true);
    expect(agent.logs.some((r) => r.msg === 'rejecting an oversized INVITE') || /too big|too large|buffer/i.test(kamailioLog())).toBe(true);
    await stillHealthy();
  });

  it('unknown method: rejected (405/501) without a call', async () => {
    const codes = await sendRaw((ids) =>
      [
        'FROBNICATE sip:1001@calldesk.test SIP/2.0',
        `Via: SIP/2.0/UDP 127.0.0.1:${ids.port};branch=${ids.branch};rport`,
        'Max-Forwards: 70',
        `From: <sip:hostile@127.0.0.1:${ids.port}>;tag=${ids.tag}`,
        'To: <sip:1001@calldesk.test>',
        `Call-ID: ${ids.callId}`,
        'CSeq: 1 FROBNICATE',
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n'),
    );
    console.log(`[phone] unknown method -> ${codes.join(', ')}`);
    expect(codes.some((c) => c === 405 || c === 501)).toBe(true);
    await stillHealthy();
  });
});
