import type { Browser, Page } from 'playwright-core';
import { startHostProcess, tempDataDir, type HostProcess } from './hostProcess';

/** An agent: the built browser host (core in Node) and its UI in a Chromium page. */
export interface Agent {
  host: HostProcess;
  page: Page;
  close(): Promise<void>;
}

/** Environment that points the agent's phone at the test PBX (settings layer: env). */
export function sipEnv(wsUrl: string, user: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    CALLDESK_SIP_URI: `sip:${user}@calldesk.test`,
    CALLDESK_SIP_SERVER: wsUrl,
    CALLDESK_SIP_DISPLAY_NAME: `Agent ${user}`,
    ...extra,
  };
}

/** Starts a host with the given SIP account, opens the UI and saves the password there, as an agent would. */
export async function openAgent(browser: Browser, opts: { wsUrl: string; user: string; password: string; env?: Record<string, string>; dataDir?: string }): Promise<Agent> {
  const host = await startHostProcess({ dataDir: opts.dataDir ?? tempDataDir('agent-'), env: sipEnv(opts.wsUrl, opts.user, opts.env) });
  const context = await browser.newContext({ locale: 'en-US', permissions: ['microphone', 'notifications'] });
  const page = await context.newPage();
  await page.goto(host.url);
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('sip-password').fill(opts.password);
  await page.getByTestId('sip-password-save').click();
  await page.getByTestId('status-registration').filter({ hasText: 'Registered' }).waitFor({ timeout: 15_000 });
  return {
    host,
    page,
    async close() {
      await context.close();
      await host.stop();
    },
  };
}

/** The agent's inbound audio RTP bytes for every live call, from the renderer's media engine. */
export async function agentInboundBytes(page: Page): Promise<Record<string, number>> {
  return page.evaluate(async () => {
    const media = (window as unknown as { calldeskMedia: { callIds(): string[]; peerConnection(id: string): RTCPeerConnection | undefined } }).calldeskMedia;
    const out: Record<string, number> = {};
    for (const id of media.callIds()) {
      const pc = media.peerConnection(id);
      if (!pc) continue;
      let bytes = 0;
      (await pc.getStats()).forEach((r: { type: string; kind?: string; bytesReceived?: number }) => {
        if (r.type === 'inbound-rtp' && r.kind === 'audio') bytes += r.bytesReceived ?? 0;
      });
      out[id] = bytes;
    }
    return out;
  });
}

/** Total inbound audio bytes over all the agent's calls. */
export async function agentTotalInbound(page: Page): Promise<number> {
  return Object.values(await agentInboundBytes(page)).reduce((a, b) => a + b, 0);
}

/** Grows-over-an-interval check: bytes received during `ms`. */
export async function bytesDuring(read: () => Promise<number>, ms = 1200): Promise<number> {
  const a = await read();
  await new Promise((r) => setTimeout(r, ms));
  return (await read()) - a;
}
