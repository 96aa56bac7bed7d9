// `npm run demo:call -- [number] [--seconds N] [--queue Q]`: a simulated customer calls the demo
// agent through the demo PBX with real audio (headless Chromium with a fake microphone). The caller
// number is presented in P-Asserted-Identity so the screen pop can match it (default: the demo
// showcase customer 张伟, +86 755 8888 1234).
// `npm run demo:call -- --plain [--seconds N]`: the call comes from a plain-RTP desk phone instead
// (baresip, account 2001, G.711 over UDP), bridged to the agent's WebRTC by rtpengine: the trunk
// path. It prints the phone's RTP packet counters while the call lasts.
// `--queue sales` (or `support`) calls the demo PBX's queue instead of the agent: the server's router
// (CALLDESK_ACD_EVAPI) picks the agent, or, with no router, the queue's hunt list rings. Any other
// `--queue` value is only presented in the X-Queue header.
import { BARESIP_HINT, findBaresip, startBaresip } from './baresip.mjs';
import { launchChromium } from './chromium.mjs';
import { DEMO_PBX } from './demoPbx.mjs';
import { RTPENGINE_HINT, findRtpengine, waitForWebSocket } from './pbx.mjs';
import { startPeerServer } from './sipPeerServer.mjs';

function parseArgs(argv) {
  const out = { number: '+8675588881234', seconds: 60, queue: 'vip', account: '', plain: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--seconds') out.seconds = Number(argv[++i]);
    else if (a === '--queue') out.queue = argv[++i];
    else if (a === '--account') out.account = argv[++i];
    else if (a === '--plain') out.plain = true;
    else if (!a.startsWith('-')) out.number = a;
  }
  if (!/^\+?[0-9*#]{3,20}$/.test(out.number.replace(/[\s()-]/g, ''))) throw new Error(`not a phone number: ${out.number}`);
  out.number = out.number.replace(/[\s()-]/g, '');
  return out;
}

const args = parseArgs(process.argv.slice(2));
try {
  await waitForWebSocket(DEMO_PBX.wsUrl, 1000);
} catch {
  console.error(`demo:call: the demo PBX is not running at ${DEMO_PBX.wsUrl}. Start CallDesk first: npm start`);
  process.exit(1);
}
if (args.plain) await plainCall(args.seconds);
const server = await startPeerServer();
const browser = await launchChromium();
const page = await (await browser.newContext()).newPage();
let finished = false;
const finish = async (code) => {
  if (finished) return;
  finished = true;
  await page.evaluate(() => window.peer.hangup()).catch(() => undefined);
  await browser.close().catch(() => undefined);
  await server.close();
  process.exit(code);
};
process.on('SIGINT', () => void finish(0));
await page.goto(server.url);
await page.waitForFunction(() => document.title === 'sip-peer ready');
await page.evaluate((c) => window.peer.start(c), { wsUrl: DEMO_PBX.wsUrl, user: '2001', password: 'pw2001', domain: DEMO_PBX.domain, displayName: 'Demo caller' });
const headers = [`P-Asserted-Identity: <sip:${args.number}@${DEMO_PBX.domain}>`, `X-Queue: ${args.queue}`];
if (args.account) headers.push(`X-Account: ${args.account}`);
const target = DEMO_PBX.queues.includes(args.queue) ? args.queue : DEMO_PBX.agent;
console.log(`demo:call: ${args.number} is calling ${target === DEMO_PBX.agent ? `agent ${target}` : `the ${target} queue`}… (Ctrl-C hangs up)`);
await page.evaluate(([t, h]) => window.peer.call(t, h), [target, headers]);
const started = Date.now();
let last = '';
while (Date.now() - started < args.seconds * 1000) {
  const state = await page.evaluate(() => window.peer.state());
  if (state !== last) {
    console.log(`demo:call: ${state === 'Establishing' ? 'ringing' : state === 'Established' ? 'answered, audio flowing' : state.toLowerCase()}`);
    last = state;
  }
  if (state === 'Terminated') break;
  await new Promise((r) => setTimeout(r, 250));
}
if (last === 'Established') console.log(`demo:call: received ${await page.evaluate(() => window.peer.inboundBytes())} bytes of the agent's audio`);
await finish(0);

/** The demo call from a plain-RTP desk phone (baresip); exits when the call ends or after `seconds`. */
async function plainCall(seconds) {
  if (!findBaresip()) {
    console.error(`demo:call --plain: ${BARESIP_HINT}`);
    process.exit(1);
  }
  if (!findRtpengine()) console.warn(`demo:call --plain: without rtpengine the PBX cannot bridge plain RTP to the agent. ${RTPENGINE_HINT}`);
  const phone = await startBaresip({ sipPort: DEMO_PBX.sipPort, user: '2001', password: 'pw2001', codecs: ['pcmu', 'pcma'] });
  const stop = async (code) => {
    await phone.hangup().catch(() => undefined);
    await phone.stop();
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  console.log(`demo:call --plain: desk phone 2001 (baresip, plain RTP) is calling agent ${DEMO_PBX.agent}… (Ctrl-C hangs up)`);
  await phone.dial(`sip:${DEMO_PBX.agent}@127.0.0.1:${DEMO_PBX.sipPort}`);
  const started = Date.now();
  let seen = 0;
  let lastPrint = 0;
  while (Date.now() - started < seconds * 1000) {
    for (const e of phone.events.slice(seen)) {
      if (e.type === 'CALL_RINGING') console.log('demo:call --plain: ringing');
      if (e.type === 'CALL_ESTABLISHED') console.log('demo:call --plain: answered');
      if (e.type === 'CALL_DTMF_START') console.log(`demo:call --plain: the agent pressed ${e.param}`);
      if (e.type === 'CALL_CLOSED') {
        console.log(`demo:call --plain: call ended (${e.param || 'hung up'})`);
        await stop(0);
      }
    }
    seen = phone.events.length;
    if (phone.has('CALL_ESTABLISHED') && Date.now() - lastPrint > 3000) {
      lastPrint = Date.now();
      const s = await phone.audioStats().catch(() => null);
      if (s) console.log(`demo:call --plain: RTP packets sent ${s.txPackets}, received ${s.rxPackets}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  console.log('demo:call --plain: time is up, hanging up');
  await stop(0);
}
