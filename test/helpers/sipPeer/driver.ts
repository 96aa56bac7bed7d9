import type { Browser, Page } from 'playwright-core';
import type { PeerConfig, PeerEvent } from './peer';

/** A simulated SIP customer in its own Chromium page. */
export class SipPeer {
  private constructor(readonly page: Page, readonly user: string) {}

  /** Opens the peer page and registers `config.user` with the PBX. */
  static async open(browser: Browser, peerUrl: string, config: PeerConfig): Promise<SipPeer> {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(peerUrl);
    await page.waitForFunction(() => document.title === 'sip-peer ready');
    await page.evaluate((c) => window.peer.start(c), config);
    return new SipPeer(page, config.user);
  }

  call(target: string, extraHeaders: string[] = []): Promise<void> {
    return this.page.evaluate(([t, h]) => window.peer.call(t, h), [target, extraHeaders] as const);
  }
  answer(): Promise<void> {
    return this.page.evaluate(() => window.peer.answer());
  }
  hangup(): Promise<void> {
    return this.page.evaluate(() => window.peer.hangup());
  }
  reject(code = 486): Promise<void> {
    return this.page.evaluate((c) => window.peer.reject(c), code);
  }
  sendDtmfInfo(digit: string): Promise<void> {
    return this.page.evaluate((d) => window.peer.sendDtmfInfo(d), digit);
  }
  inboundBytes(): Promise<number> {
    return this.page.evaluate(() => window.peer.inboundBytes());
  }
  state(): Promise<string> {
    return this.page.evaluate(() => window.peer.state());
  }
  events(): Promise<PeerEvent[]> {
    return this.page.evaluate(() => window.peer.events());
  }
  /** Reconnects and re-registers (after a PBX restart). */
  reconnect(): Promise<void> {
    return this.page.evaluate(() => window.peer.reconnect());
  }
  /**
   * The customer's client vanishes without BYE (browser crash, battery out): the page's renderer is
   * crashed, so no script runs, no BYE is sent, media stops and the WebSocket closes. Resolves with
   * the time just before the crash (the last moment media can have been sent).
   */
  async crash(): Promise<number> {
    const cdp = await this.page.context().newCDPSession(this.page);
    const crashed = this.page.waitForEvent('crash', { timeout: 10_000 });
    const at = Date.now();
    // The crash kills the page before it can answer: never wait for this command's reply.
    void cdp.send('Page.crash').catch(() => undefined);
    await crashed;
    return at;
  }
  async close(): Promise<void> {
    await this.page.evaluate(() => window.peer.stop()).catch(() => undefined);
    await this.page.context().close();
  }
}
