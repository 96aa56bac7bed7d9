import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startBaresip, type BaresipPhone } from '../../scripts/baresip.mjs';
import { agentTotalInbound, bytesDuring, openAgent, type Agent } from '../helpers/agentPage';
import { startTelephonyRig, type TelephonyRig } from '../helpers/telephonyRig';

// Issue 17.4: the dev PBX's own media timeout. rtpengine closes a bridged call from which no media
// arrives on ANY side for its timeout, and asks Kamailio (XML-RPC dlg.terminate_dlg) to end the
// dialog: both legs get BYE. (One silent side alone is the agent's own media watchdog's job.)
const RTPENGINE_TIMEOUT_S = 5;

let rig: TelephonyRig;
const cleanup: (() => Promise<void>)[] = [];
beforeAll(async () => {
  rig = await startTelephonyRig({ mediaTimeoutSeconds: RTPENGINE_TIMEOUT_S });
  if (!rig.pbx.rtpengine) throw new Error('rtpengine must run beside the test PBX (apt-get install rtpengine-daemon)');
});
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c().catch(() => undefined);
});
afterAll(async () => {
  await rig?.close();
});

async function agent(user: string): Promise<Agent> {
  // The agent's own watchdog waits far longer than rtpengine: the PBX must be the one ending the call.
  const a = await openAgent(rig.browser, { wsUrl: rig.pbx.wsUrl, user, password: `pw${user}`, env: { CALLDESK_SIP_MEDIA_TIMEOUT_SECONDS: '600' } });
  cleanup.push(() => a.close());
  return a;
}
async function phone(user: string): Promise<BaresipPhone> {
  const p = await startBaresip({ sipPort: rig.pbx.sipPort, user, password: `pw${user}`, codecs: ['pcmu'] });
  cleanup.push(async () => {
    p.child.kill('SIGCONT');
    await p.stop();
  });
  return p;
}

describe("the dev PBX ends a call whose media died on both sides (rtpengine timeout -> Kamailio dialog -> BYE)", () => {
  it('phone and agent media both stop without BYE: both legs get BYE from the PBX, the agent logs the end', async () => {
    const a = await agent('1001');
    const p = await phone('2001');
    await p.dial(`sip:1001@127.0.0.1:${rig.pbx.sipPort}`);
    const card = a.page.getByTestId('call-card');
    await expect.poll(() => card.getAttribute('data-call-state'), { timeout: 15_000 }).toBe('ringing');
    await card.getByTestId('call-answer').click();
    await expect.poll(() => card.getAttribute('data-call-state'), { timeout: 10_000 }).toBe('active');
    await p.waitFor(() => p.has('CALL_ESTABLISHED'), 'phone established');
    await expect.poll(() => bytesDuring(() => agentTotalInbound(a.page)), { timeout: 10_000 }).toBeGreaterThan(1000);
    await a.page.evaluate(() => {
      const w = window as unknown as { calldesk: { interaction: { onLogged(cb: (e: { endReason: string | null; revisionKind: string }) => void): () => void } }; loggedEnds?: (string | null)[] };
      w.calldesk.interaction.onLogged((e) => {
        if (e.revisionKind === 'original') (w.loggedEnds ??= []).push(e.endReason);
      });
    });

    // Both sides go silent at once, neither sends BYE: the phone freezes, the agent's media engine dies.
    const eventsBefore = p.events.length;
    p.child.kill('SIGSTOP');
    await a.page.evaluate(() => {
      const media = (window as unknown as { calldeskMedia: { callIds(): string[]; peerConnection(id: string): RTCPeerConnection | undefined } }).calldeskMedia;
      for (const id of media.callIds()) media.peerConnection(id)?.close();
    });
    const silentAt = Date.now();

    // The agent's leg gets the PBX's BYE: the call ends as hung up by the other side, and is logged.
    await expect.poll(() => card.count(), { timeout: (RTPENGINE_TIMEOUT_S + 15) * 1000, interval: 250 }).toBe(0);
    console.log(`PBX media timeout: agent's call ended ${Date.now() - silentAt} ms after both sides went silent (rtpengine timeout ${RTPENGINE_TIMEOUT_S} s)`);
    const recent = a.page.getByTestId('recent-call').first();
    expect(await recent.getAttribute('data-end-reason')).toBe('remote-hangup');
    await expect.poll(() => a.page.evaluate(() => (window as unknown as { loggedEnds?: (string | null)[] }).loggedEnds ?? []), { timeout: 15_000 }).toEqual(['remote-hangup']);
    expect(await a.page.getByTestId('agent-state').getAttribute('data-state')).toBe('wrap-up');

    // The phone's leg got a BYE too: it was queued while the phone was frozen and closes the call on waking.
    p.child.kill('SIGCONT');
    await p.waitFor(() => p.has('CALL_CLOSED', eventsBefore), 'the phone received the PBX BYE');
    const log = rig.pbx.rtpengine?.logFile ?? '';
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(log, 'utf8')).toContain('Closing call due to timeout');
  }, 90_000);
});
