// `npm run demo:call -- [number] [--seconds N] [--queue Q]`: a simulated customer calls the demo
// agent through the demo PBX with real audio (headless Chromium with a fake microphone). The caller
// number is presented in P-Asserted-Identity so the screen pop can match it (default: the demo
// showcase customer 张伟, +86 755 8888 1234).
import { launchChromium } from './chromium.mjs';
import { DEMO_PBX } from './demoPbx.mjs';
import { waitForWebSocket } from './pbx.mjs';
import { startPeerServer } from './sipPeerServer.mjs';

function parseArgs(argv) {
  const out = { number: '+8675588881234', seconds: 60, queue: 'vip', account: '' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--seconds') out.seconds = Number(argv[++i]);
    else if (a === '--queue') out.queue = argv[++i];
    else if (a === '--account') out.account = argv[++i];
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
console.log(`demo:call: ${args.number} is calling agent ${DEMO_PBX.agent}… (Ctrl-C hangs up)`);
await page.evaluate(([t, h]) => window.peer.call(t, h), [DEMO_PBX.agent, headers]);
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
