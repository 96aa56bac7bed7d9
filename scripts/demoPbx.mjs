// The development PBX of the demo profile: Kamailio on fixed loopback ports, shared by `npm start`
// and `npm run demo:call`.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { INSTALL_HINT, findKamailio, startPbx, waitForWebSocket } from './pbx.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const sipPort = Number(process.env.CALLDESK_DEMO_PBX_SIP_PORT) || 15060;
const wsPort = Number(process.env.CALLDESK_DEMO_PBX_WS_PORT) || 18080;
// Queues (docs/acd.md): Kamailio's evapi port for the server's router (default 18448 beside the default SIP port).
const acdPort = Number(process.env.CALLDESK_DEMO_PBX_ACD_PORT) || sipPort + 3388;

/** Where the demo PBX listens (fixed ports; CALLDESK_DEMO_PBX_SIP_PORT / _WS_PORT / _DIR move it, e.g. for tests). */
export const DEMO_PBX = {
  sipPort,
  wsPort,
  wsUrl: `ws://127.0.0.1:${wsPort}`,
  dir: process.env.CALLDESK_DEMO_PBX_DIR || path.join(root, '.tmp', 'pbx-demo'),
  domain: 'calldesk.test',
  agent: '1001',
  /** Queue numbers of the demo PBX (sip:sales@, sip:support@); with no router their hunt lists ring. */
  queues: ['sales', 'support'],
  acdEvapi: `127.0.0.1:${acdPort}`,
};

/**
 * Starts the demo PBX unless it already answers; returns null (after one line saying how to get
 * Kamailio) when Kamailio is not installed. The PBX lives as long as this process.
 */
export async function startDemoPbx() {
  try {
    await waitForWebSocket(DEMO_PBX.wsUrl, 300);
    console.log(`calldesk: demo PBX already running at ${DEMO_PBX.wsUrl}`);
    return { wsUrl: DEMO_PBX.wsUrl };
  } catch {
    // not running yet
  }
  if (!findKamailio()) {
    console.log(`calldesk: demo without a phone line. ${INSTALL_HINT}`);
    return null;
  }
  fs.mkdirSync(DEMO_PBX.dir, { recursive: true });
  try {
    const pbx = await startPbx({ sipPort: DEMO_PBX.sipPort, wsPort: DEMO_PBX.wsPort, dir: DEMO_PBX.dir, acd: { evapiPort: acdPort } });
    console.log(`calldesk: demo PBX at ${pbx.wsUrl} (agent ${DEMO_PBX.agent}); ring it with: npm run demo:call`);
    console.log(`calldesk: demo queues sales and support (npm run demo:call -- --queue sales); a server routes them with CALLDESK_ACD_EVAPI=${DEMO_PBX.acdEvapi}`);
    return pbx;
  } catch (err) {
    console.log(`calldesk: the demo PBX could not start (${err instanceof Error ? err.message : String(err)}); continuing without a phone line.`);
    return null;
  }
}
