import type { Browser } from 'playwright-core';
import { pickPorts, startPbx, type PbxOptions, type RunningPbx } from '../../scripts/pbx.mjs';
import { launchChromium } from './chromium';
import { tempDataDir } from './hostProcess';
import { SipPeer } from './sipPeer/driver';
import type { PeerConfig } from './sipPeer/peer';
import { startPeerServer } from './sipPeer/server';

/** What every telephony test needs: a real Kamailio on free ports, Chromium, and simulated customers. */
export interface TelephonyRig {
  pbx: RunningPbx;
  browser: Browser;
  peerUrl: string;
  /** Registers a simulated customer (test account `user` / `pw<user>`) in its own Chromium page. */
  customer(user: string, extra?: Partial<PeerConfig>): Promise<SipPeer>;
  close(): Promise<void>;
}

/** Starts Kamailio, Chromium and the peer page server side by side (`pbxOptions`: e.g. rtpengine's media timeout). */
export async function startTelephonyRig(pbxOptions: PbxOptions = {}): Promise<TelephonyRig> {
  const [pbx, browser, peerServer] = await Promise.all([
    pickPorts().then((ports) => startPbx({ dir: tempDataDir('pbx-'), ...ports, ...pbxOptions })),
    launchChromium(),
    startPeerServer(),
  ]);
  return {
    pbx,
    browser,
    peerUrl: peerServer.url,
    customer: (user, extra = {}) =>
      SipPeer.open(browser, peerServer.url, { wsUrl: pbx.wsUrl, user, password: `pw${user}`, domain: 'calldesk.test', displayName: `Customer ${user}`, ...extra }),
    async close() {
      await browser.close().catch(() => undefined);
      await peerServer.close();
      await pbx.stop();
    },
  };
}
