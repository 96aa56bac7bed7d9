import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startBaresip, toneUlaw, type BaresipPhone } from '../../scripts/baresip.mjs';
import { agentTotalInbound, bytesDuring, openAgent, type Agent } from '../helpers/agentPage';
import { startTelephonyRig, type TelephonyRig } from '../helpers/telephonyRig';

let rig: TelephonyRig;
const cleanup: (() => Promise<void>)[] = [];

beforeAll(async () => {
  rig = await startTelephonyRig();
  if (!rig.pbx.rtpengine) throw new Error('rtpengine must run beside the test PBX (apt-get install rtpengine-daemon)');
});
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c().catch(() => undefined);
});
afterAll(async () => {
  await rig?.close();
});

async function agent(user: string, env: Record<string, string> = {}): Promise<Agent> {
  const a = await openAgent(rig.browser, { wsUrl: rig.pbx.wsUrl, user, password: `pw${user}`, env });
  cleanup.push(() => a.close());
  return a;
}
async function phone(user: string, opts: { codecs?: string[]; autoAnswer?: boolean } = {}): Promise<BaresipPhone> {
  const p = await startBaresip({ sipPort: rig.pbx.sipPort, user, password: `pw${user}`, ...opts });
  cleanup.push(() => p.stop());
  return p;
}
/** RTP packets the phone received during `ms`. */
async function phoneRxDuring(p: BaresipPhone, ms = 1200): Promise<number> {
  const a = (await p.audioStats()).rxPackets;
  await new Promise((r) => setTimeout(r, ms));
  return (await p.audioStats()).rxPackets - a;
}

describe('plain-RTP desk phone (baresip) through Kamailio + rtpengine', () => {
  for (const codec of ['pcmu', 'pcma', 'g722', 'opus'] as const) {
    it(`phone calls the agent with ${codec}, the agent answers: RTP flows both ways`, async () => {
      const a = await agent('1001');
      const p = await phone('2001', { codecs: [codec] });
      await p.dial(`sip:1001@127.0.0.1:${rig.pbx.sipPort}`);
      const card = a.page.getByTestId('call-card');
      await expect.poll(() => card.getAttribute('data-call-state'), { timeout: 15_000 }).toBe('ringing');
      await card.getByTestId('call-answer').click();
      await expect.poll(() => card.getAttribute('data-call-state'), { timeout: 10_000 }).toBe('active');
      await p.waitFor(() => p.has('CALL_ESTABLISHED'), 'phone established');
      await expect.poll(() => bytesDuring(() => agentTotalInbound(a.page)), { timeout: 10_000 }).toBeGreaterThan(1000);
      await expect.poll(() => phoneRxDuring(p), { timeout: 10_000 }).toBeGreaterThan(20);
      // The codec in use and the MOS are on the call card.
      await expect.poll(() => card.getByTestId('call-mos').getAttribute('data-codec').catch(() => null), { timeout: 10_000 }).toBe(codec);
      expect(await card.getByTestId('call-mos').innerText()).toMatch(/MOS \d\.\d/);
      await p.hangup();
      await expect.poll(() => card.count(), { timeout: 10_000 }).toBe(0);
    });
  }

  it('agent calls an auto-answering phone; hold and resume from each side three times, audio both ways after each resume', async () => {
    const a = await agent('1002');
    const p = await phone('2002', { codecs: ['pcma'], autoAnswer: true });
    await a.page.getByTestId('dial-input').fill('2002');
    await a.page.getByTestId('dial-button').click();
    const card = a.page.getByTestId('call-card');
    await expect.poll(() => card.getAttribute('data-call-state'), { timeout: 15_000 }).toBe('active');
    const audioBothWays = async () => {
      await expect.poll(() => bytesDuring(() => agentTotalInbound(a.page)), { timeout: 10_000 }).toBeGreaterThan(1000);
      await expect.poll(() => phoneRxDuring(p), { timeout: 10_000 }).toBeGreaterThan(20);
    };
    await audioBothWays();
    for (let i = 0; i < 3; i++) {
      await card.getByTestId('call-hold').click();
      await expect.poll(() => card.getAttribute('data-call-state'), { timeout: 10_000 }).toBe('held');
      await expect.poll(() => phoneRxDuring(p), { timeout: 10_000 }).toBeLessThan(5);
      await card.getByTestId('call-resume').click();
      await expect.poll(() => card.getAttribute('data-call-state'), { timeout: 10_000 }).toBe('active');
      await audioBothWays();
    }
    for (let i = 0; i < 3; i++) {
      await p.hold();
      await expect.poll(() => card.getAttribute('data-remote-hold'), { timeout: 10_000 }).toBe('true');
      await p.resume();
      await expect.poll(() => card.getAttribute('data-remote-hold'), { timeout: 10_000 }).toBe('false');
      await audioBothWays();
    }
    await card.getByTestId('call-hangup').click();
    await p.waitFor(() => p.has('CALL_CLOSED'), 'phone sees the hang-up');
  });

  it('sipp plays a G.711 recording from a trunk (route-set aware): the agent hears it, ACK and BYE are routed', async () => {
    const sippBin = spawnSync('sh', ['-c', 'command -v sipp'], { encoding: 'utf8' }).stdout.trim();
    if (!sippBin) throw new Error('sipp is not installed: apt-get install -y --no-install-recommends sip-tester');
    const a = await agent('1003');
    const work = mkdtempSync(path.join(os.tmpdir(), 'calldesk-sipp-trunk-'));
    writeFileSync(path.join(work, 'recording.ulaw'), toneUlaw(10));
    const port = 30000 + Math.floor(Math.random() * 9000);
    const sipp = spawn(
      sippBin,
      [`127.0.0.1:${rig.pbx.sipPort}`, '-sf', path.join(import.meta.dirname, 'sipp', 'trunk-recording.xml'), '-s', '1003', '-i', '127.0.0.1',
        '-p', String(port), '-mp', String(port + 2), '-m', '1', '-timeout', '40s', '-timeout_error', '-trace_err', '-nostdin'],
      { cwd: work, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    sipp.stdout.on('data', (d: Buffer) => (output += d.toString()));
    sipp.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => sipp.once('exit', (code) => resolve(code)));
    cleanup.push(async () => {
      if (sipp.exitCode === null) sipp.kill('SIGKILL');
    });
    const card = a.page.getByTestId('call-card');
    await expect.poll(() => card.getAttribute('data-call-state'), { timeout: 15_000 }).toBe('ringing');
    expect(await card.getByTestId('call-header-X-Queue').innerText()).toContain('trunk');
    await card.getByTestId('call-answer').click();
    await expect.poll(() => card.getAttribute('data-call-state'), { timeout: 10_000 }).toBe('active');
    await expect.poll(() => bytesDuring(() => agentTotalInbound(a.page), 800), { timeout: 5_000 }).toBeGreaterThan(1000);
    const code = await exited;
    if (code !== 0) console.log(output.slice(-3000));
    expect(code).toBe(0);
    await expect.poll(() => card.count(), { timeout: 10_000 }).toBe(0);
  });

  it('failures the agent sees are in words: an unknown number (404) and a phone with none of our codecs', async () => {
    const a = await agent('1004');
    await phone('2004', { codecs: ['GSM'], autoAnswer: true });
    const dial = async (n: string) => {
      await a.page.getByTestId('dial-input').fill(n);
      await a.page.getByTestId('dial-button').click();
    };
    const failures = a.page.getByTestId('recent-call-failure');
    await dial('9999');
    await expect.poll(() => failures.first().innerText().catch(() => ''), { timeout: 10_000 }).toBe('The PBX refused the call: 404 — number not found. Check the number.');
    await dial('2004');
    await expect.poll(() => failures.first().innerText().catch(() => ''), { timeout: 15_000 }).toBe(
      'The other side does not support any of our audio codecs. Check the codec settings of the phone or trunk.',
    );
    const texts = await a.page.locator('body').innerText();
    expect(texts).not.toMatch(/setRemoteDescription|SDP|fingerprint/);
  });

  for (const codec of ['pcmu', 'opus'] as const) {
    it(`DTMF from the agent reaches the phone, every digit 0-9*#, on ${codec} (RFC 4733, SIP INFO when the codec has no telephone-event)`, async () => {
      const a = await agent('1005', { CALLDESK_SIP_DTMF_METHOD: 'rfc4733' });
      const p = await phone('2005', { codecs: [codec], autoAnswer: true });
      await a.page.getByTestId('dial-input').fill('2005');
      await a.page.getByTestId('dial-button').click();
      const card = a.page.getByTestId('call-card');
      await expect.poll(() => card.getAttribute('data-call-state'), { timeout: 15_000 }).toBe('active');
      await expect.poll(() => phoneRxDuring(p), { timeout: 10_000 }).toBeGreaterThan(20);
      await card.getByTestId('call-keypad').click();
      for (const d of '0123456789*#') await a.page.getByTestId(`dtmf-${d}`).click();
      await expect.poll(() => p.dtmfReceived(), { timeout: 15_000 }).toBe('0123456789*#');
      // On opus the phone accepts telephone-event only at 8 kHz: the digits went by SIP INFO.
      await expect.poll(() => a.host.output().includes('DTMF by SIP INFO'), { timeout: 5_000 }).toBe(codec === 'opus');
      await a.page.keyboard.press('Escape');
      await card.getByTestId('call-hangup').click();
    });
  }

  for (const codec of ['pcmu', 'opus'] as const) {
    it(`DTMF from the phone (RFC 4733) is shown to the agent and logged, on ${codec}`, async () => {
      const a = await agent('1006');
      const p = await phone('2006', { codecs: [codec] });
      await p.dial(`sip:1006@127.0.0.1:${rig.pbx.sipPort}`);
      const card = a.page.getByTestId('call-card');
      await expect.poll(() => card.getAttribute('data-call-state'), { timeout: 15_000 }).toBe('ringing');
      await card.getByTestId('call-answer').click();
      await expect.poll(() => card.getAttribute('data-call-state'), { timeout: 10_000 }).toBe('active');
      await expect.poll(() => bytesDuring(() => agentTotalInbound(a.page)), { timeout: 10_000 }).toBeGreaterThan(1000);
      await a.page.evaluate(() => {
        const w = window as unknown as { calldesk: { interaction: { onLogged(cb: (e: { dtmfReceived: string; revisionKind: string }) => void): () => void } }; loggedDtmf?: string[] };
        w.calldesk.interaction.onLogged((e) => {
          if (e.revisionKind === 'original') (w.loggedDtmf ??= []).push(e.dtmfReceived);
        });
      });
      for (const d of '0123456789*#') {
        await p.sendDtmf(d);
        await new Promise((r) => setTimeout(r, 300));
      }
      const received = card.getByTestId('call-dtmf-received');
      await expect.poll(() => received.innerText().catch(() => ''), { timeout: 10_000 }).toBe('Keys pressed by the other side: 0123456789*#');
      expect(a.host.output()).toContain('DTMF received in audio');
      await p.hangup();
      // Logged with the call's interaction entry.
      await expect.poll(() => a.page.evaluate(() => (window as unknown as { loggedDtmf?: string[] }).loggedDtmf ?? []), { timeout: 15_000 }).toEqual(['0123456789*#']);
    });
  }

  it('blind transfer of a plain phone from one agent to another: audio after each step', async () => {
    const [a, b] = await Promise.all([agent('1007'), agent('1008')]);
    const p = await phone('2007', { codecs: ['pcmu'] });
    await p.dial(`sip:1007@127.0.0.1:${rig.pbx.sipPort}`);
    const cardA = a.page.getByTestId('call-card');
    await expect.poll(() => cardA.getAttribute('data-call-state'), { timeout: 15_000 }).toBe('ringing');
    await cardA.getByTestId('call-answer').click();
    await expect.poll(() => bytesDuring(() => agentTotalInbound(a.page)), { timeout: 10_000 }).toBeGreaterThan(1000);
    await expect.poll(() => phoneRxDuring(p), { timeout: 10_000 }).toBeGreaterThan(20);
    await cardA.getByTestId('call-transfer').click();
    await a.page.getByTestId('transfer-target').fill('1008');
    await a.page.getByTestId('transfer-blind').click();
    const cardB = b.page.getByTestId('call-card');
    await expect.poll(() => cardB.getAttribute('data-call-state').catch(() => null), { timeout: 15_000 }).toBe('ringing');
    await cardB.getByTestId('call-answer').click();
    await expect.poll(() => cardB.getAttribute('data-call-state'), { timeout: 10_000 }).toBe('active');
    await expect.poll(() => cardA.count(), { timeout: 10_000 }).toBe(0);
    await expect.poll(() => bytesDuring(() => agentTotalInbound(b.page)), { timeout: 10_000 }).toBeGreaterThan(1000);
    await expect.poll(() => phoneRxDuring(p), { timeout: 10_000 }).toBeGreaterThan(20);
    await cardB.getByTestId('call-hangup').click();
  });

  it('attended transfer of a plain phone (no Replaces support) from one agent to another: audio after each step', async () => {
    const [a, b] = await Promise.all([agent('1007'), agent('1008')]);
    const p = await phone('2008', { codecs: ['pcmu'] });
    await p.dial(`sip:1007@127.0.0.1:${rig.pbx.sipPort}`);
    const cardA = a.page.getByTestId('call-card').first();
    await expect.poll(() => cardA.getAttribute('data-call-state'), { timeout: 15_000 }).toBe('ringing');
    await cardA.getByTestId('call-answer').click();
    await expect.poll(() => bytesDuring(() => agentTotalInbound(a.page)), { timeout: 10_000 }).toBeGreaterThan(1000);
    await expect.poll(() => phoneRxDuring(p), { timeout: 10_000 }).toBeGreaterThan(20);
    // Consult the second agent: the phone goes on hold, the agents talk.
    await cardA.getByTestId('call-transfer').click();
    await a.page.getByTestId('transfer-target').fill('1008');
    await a.page.getByTestId('transfer-consult').click();
    const cardB = b.page.getByTestId('call-card');
    await expect.poll(() => cardB.getAttribute('data-call-state').catch(() => null), { timeout: 15_000 }).toBe('ringing');
    await cardB.getByTestId('call-answer').click();
    await expect.poll(() => a.page.locator('[data-call-state=held]').count(), { timeout: 10_000 }).toBe(1);
    await expect.poll(() => bytesDuring(() => agentTotalInbound(b.page)), { timeout: 10_000 }).toBeGreaterThan(1000);
    // Complete: the phone calls the second agent, whose consultation call is taken over without ringing.
    await a.page.locator('[data-call-state=held]').getByTestId('transfer-complete').click();
    await expect.poll(() => a.page.getByTestId('call-card').count(), { timeout: 15_000 }).toBe(0);
    await expect.poll(() => cardB.count(), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => cardB.getAttribute('data-call-state'), { timeout: 10_000 }).toBe('active');
    expect(await cardB.getAttribute('data-remote')).toBe('2008');
    await expect.poll(() => bytesDuring(() => agentTotalInbound(b.page)), { timeout: 10_000 }).toBeGreaterThan(1000);
    await expect.poll(() => phoneRxDuring(p), { timeout: 10_000 }).toBeGreaterThan(20);
    await cardB.getByTestId('call-hangup').click();
    await p.waitFor(() => p.has('CALL_CLOSED'), 'phone sees the hang-up');
  });

  it('the codec order is configurable: an agent preferring A-law gets PCMA from a phone that has every codec', async () => {
    const a = await agent('1009', { CALLDESK_MEDIA_CODEC_ORDER: '["pcma","pcmu","g722","opus"]' });
    const p = await phone('2009', { autoAnswer: true });
    await a.page.getByTestId('dial-input').fill('2009');
    await a.page.getByTestId('dial-button').click();
    const card = a.page.getByTestId('call-card');
    await expect.poll(() => card.getAttribute('data-call-state'), { timeout: 15_000 }).toBe('active');
    await expect.poll(() => card.getByTestId('call-mos').getAttribute('data-codec').catch(() => null), { timeout: 10_000 }).toBe('pcma');
    expect((await p.audioStats()).text).toContain('encode: PCMA');
    await card.getByTestId('call-hangup').click();
  });
});
