import dgram from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningPbx } from '../../../scripts/pbx.mjs';
import { registeredPhone, startTestPbx, type TestPhone } from '../../helpers/phoneHarness';

// Issue 15: every SDP of a bridged dialog goes through rtpengine, 200 OK retransmissions included.
// A plain SIP callee retransmits its 200 OK (its ACK "got lost"): once while Kamailio's INVITE
// transaction still exists, and once after it is gone (the core reply route forwards it). The WebRTC
// caller must get rtpengine's SDP every time, never the callee's raw RTP/AVP address.
const RAW_MEDIA_PORT = 7078;
const RETRANSMIT_AFTER_MS = [0, 500, 8000];

let pbx: RunningPbx;
let caller: TestPhone;

beforeAll(async () => {
  pbx = await startTestPbx({ rtpengine: true });
  caller = await registeredPhone(pbx, '1003', { sipLogLevel: 'log' });
});
afterAll(async () => {
  await caller?.stop().catch(() => undefined);
  await pbx?.stop();
});

/** A minimal plain SIP callee over UDP that answers an INVITE with 200 OK and sends that 200 again at fixed delays. */
async function retransmittingCallee(): Promise<{ port: number; sent: () => number; close: () => void }> {
  const sock = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => sock.bind(0, '127.0.0.1', () => resolve()));
  const port = sock.address().port;
  let sent = 0;
  const timers: NodeJS.Timeout[] = [];
  const headers = (msg: string, name: string) => msg.split('\r\n').filter((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  sock.on('message', (buf, rinfo) => {
    const msg = buf.toString();
    const reply = (lines: string[], body = '') => {
      const text = [...lines, `Content-Length: ${Buffer.byteLength(body)}`, '', body].join('\r\n');
      sock.send(text, rinfo.port, rinfo.address);
    };
    const common = () => [...headers(msg, 'Via'), ...headers(msg, 'From'), ...headers(msg, 'Call-ID'), ...headers(msg, 'CSeq')];
    if (msg.startsWith('INVITE ') && !/^To:.*;tag=/im.test(msg)) {
      if (sent > 0) return; // a retransmitted INVITE: our 200s are on their way
      const sdp = ['v=0', `o=desk 1 1 IN IP4 127.0.0.1`, 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', `m=audio ${RAW_MEDIA_PORT} RTP/AVP 0 101`, 'a=rtpmap:0 PCMU/8000', 'a=rtpmap:101 telephone-event/8000', 'a=sendrecv', ''].join('\r\n');
      const ok = () => {
        sent++;
        reply(['SIP/2.0 200 OK', ...headers(msg, 'Via'), ...headers(msg, 'Record-Route'), ...headers(msg, 'From'), `${headers(msg, 'To')[0]};tag=desk1`, ...headers(msg, 'Call-ID'), ...headers(msg, 'CSeq'), `Contact: <sip:2009@127.0.0.1:${port}>`, 'Content-Type: application/sdp'], sdp);
      };
      for (const ms of RETRANSMIT_AFTER_MS) timers.push(setTimeout(ok, ms));
    } else if (msg.startsWith('BYE ')) {
      reply(['SIP/2.0 200 OK', ...common(), ...headers(msg, 'To')]);
    }
  });
  return {
    port,
    sent: () => sent,
    close: () => {
      for (const t of timers) clearTimeout(t);
      sock.close();
    },
  };
}

/** The 200 OKs to INVITE the caller's transport received, as logged by sip.js. */
function okToInviteReceived(): string[] {
  return caller.logs.map((r) => r.msg).filter((m) => m.includes('Received WebSocket text message') && /SIP\/2\.0 200 OK/.test(m) && /CSeq:\s*\d+ INVITE/i.test(m));
}

describe('200 OK retransmissions of a plain callee are rewritten by rtpengine (Kamailio core reply route)', () => {
  it('every 200 OK the WebRTC caller receives carries rtpengine SDP, not the callee raw address', async () => {
    const callee = await retransmittingCallee();
    try {
      const body = JSON.stringify({ jsonrpc: '2.0', method: 'ul.add', params: ['location', '2009', `sip:2009@127.0.0.1:${callee.port}`, 120, 1.0, '', 0, 0, 0xffffffff], id: 1 });
      expect(await (await fetch(`http://127.0.0.1:${pbx.wsPort}/RPC`, { method: 'POST', body })).text()).toContain('"result"');
      const dialled = await caller.service.dial('2009');
      await caller.waitForCall((c) => c.id === dialled.id && c.state === 'active', 'answered');
      const deadline = Date.now() + 30_000;
      while (okToInviteReceived().length < RETRANSMIT_AFTER_MS.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
      const oks = okToInviteReceived();
      expect(callee.sent()).toBe(RETRANSMIT_AFTER_MS.length);
      expect(oks).toHaveLength(RETRANSMIT_AFTER_MS.length);
      for (const ok of oks) {
        const m = /m=audio (\d+) (\S+)/.exec(ok);
        expect(m, ok).not.toBeNull();
        expect(Number(m![1]), ok).not.toBe(RAW_MEDIA_PORT);
        expect(Number(m![1])).toBeGreaterThanOrEqual(40000);
        expect(m![2]).toBe('UDP/TLS/RTP/SAVPF');
      }
      await caller.service.hangup(dialled.id);
    } finally {
      callee.close();
    }
  }, 60_000);
});
