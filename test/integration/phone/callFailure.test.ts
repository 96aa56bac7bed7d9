import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningPbx } from '../../../scripts/pbx.mjs';
import { AppError } from '../../../shared/api/result';
import { callFailureOf } from '../../../shared/phone/callFailure';
import { registeredPhone, startTestPbx, type TestPhone } from '../../helpers/phoneHarness';

let pbx: RunningPbx;
let agent: TestPhone;
let caller: TestPhone;

beforeAll(async () => {
  pbx = await startTestPbx();
  [agent, caller] = await Promise.all([registeredPhone(pbx, '1001'), registeredPhone(pbx, '2001')]);
});

afterAll(async () => {
  for (const p of [agent, caller]) await p?.stop().catch(() => undefined);
  await pbx?.stop();
});

describe('call failures are described in words the agent can act on (real Kamailio)', () => {
  it('an unknown number: the PBX answers 404 and the call ends as "not found" with the code kept', async () => {
    const out = await agent.service.dial('9999');
    const ended = await agent.waitForCall((c) => c.id === out.id && c.state === 'ended', 'dial to unknown number ended');
    expect(ended.end).toMatchObject({ reason: 'failed', sipCode: 404 });
    expect(callFailureOf(ended.end!, ended.direction)).toBe('not-found');
  });

  it('an offer the media engine refuses: the caller gets 488 (not 480), the agent a "media" failure, the raw error only in the log', async () => {
    const raw = "Failed to execute 'setRemoteDescription' on 'RTCPeerConnection': Called with SDP without DTLS fingerprint.";
    agent.media.failSetDescription = raw;
    try {
      const out = await caller.service.dial('1001');
      const ringing = await agent.waitForCall((c) => c.direction === 'inbound' && c.state === 'ringing', 'agent rings');
      const err = await agent.service.answer(ringing.id).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).details).toEqual({ failure: 'media' });
      const callerEnd = await caller.waitForCall((c) => c.id === out.id && c.state === 'ended', 'caller call ended');
      expect(callerEnd.end).toMatchObject({ reason: 'failed', sipCode: 488 });
      expect(callFailureOf(callerEnd.end!, callerEnd.direction)).toBe('codecs');
      expect(agent.logs.some((r) => r.msg === 'answer failed' && JSON.stringify(r.fields).includes('DTLS fingerprint'))).toBe(true);
    } finally {
      agent.media.failSetDescription = null;
    }
  });
});
