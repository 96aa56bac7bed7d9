import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningPbx } from '../../../scripts/pbx.mjs';
import type { CallSnapshot } from '../../../shared/phone/call';
import { registeredPhone, startTestPhone, startTestPbx, type TestPhone } from '../../helpers/phoneHarness';

let pbx: RunningPbx;
let a: TestPhone; // the agent
let b: TestPhone; // a customer
let c: TestPhone; // a third party

beforeAll(async () => {
  pbx = await startTestPbx();
  [a, b, c] = await Promise.all([registeredPhone(pbx, '1001'), registeredPhone(pbx, '1002'), registeredPhone(pbx, '1003')]);
});

afterEach(async (ctx) => {
  if (ctx.task.result?.state === 'fail') {
    for (const p of [a, b, c]) console.log(`--- ${p.user}\n` + p.logs.filter((r) => r.level !== 'debug').slice(-25).map((r) => `${r.level} ${r.scope} ${r.msg} ${JSON.stringify(r.fields ?? {})}`).join('\n'));
  }
  // Every test leaves no live call behind (hang up what is left, then wait for the ends).
  for (const p of [a, b, c]) {
    for (const call of p.service.state().calls) if (call.state !== 'ended') await p.service.hangup(call.id).catch(() => undefined);
  }
  for (const p of [a, b, c]) await p.waitFor((s) => s.calls.every((x) => x.state === 'ended'), 'all calls ended');
  for (const p of [a, b, c]) Object.assign(p.behaviour, structuredClone(startTestPhone.behaviourDefaults));
});

afterAll(async () => {
  for (const p of [a, b, c]) await p?.stop().catch(() => undefined);
  await pbx?.stop();
});

const live = (c: CallSnapshot) => c.state !== 'ended';
const ringingIn = (c: CallSnapshot) => c.direction === 'inbound' && c.state === 'ringing';

/** b calls a; a answers; resolves with both sides' active calls. */
async function establish(from: TestPhone, to: TestPhone, headers: Record<string, string> = {}) {
  const out = await from.service.dial(to.user, headers);
  const inbound = await to.waitForCall(ringingIn, 'inbound ringing');
  await to.service.answer(inbound.id);
  const toCall = await to.waitForCall((x) => x.id === inbound.id && x.state === 'active', 'answered call active');
  const fromCall = await from.waitForCall((x) => x.id === out.id && x.state === 'active', 'outbound call active');
  return { fromCall, toCall };
}

describe('calls between Node softphones through a real Kamailio', () => {
  it('inbound call: ringing with number, name and mapped headers; answer, hold, resume, agent hangs up', async () => {
    const dialled = await b.service.dial('1001', { 'X-Queue': 'sales', 'X-Account': 'A-42', 'X-Other': 'ignored' });
    expect(dialled.direction).toBe('outbound');
    const ringing = await a.waitForCall(ringingIn, 'ringing');
    expect(ringing.remote).toMatchObject({ number: '1002', displayName: 'User 1002', source: 'from' });
    expect(ringing.headers).toEqual({ 'X-Queue': 'sales', 'X-Account': 'A-42' });
    expect(ringing.times.ringing).toBeDefined();
    await b.waitForCall((x) => x.id === dialled.id && x.state === 'ringing', 'caller hears ringback');

    await a.service.answer(ringing.id);
    const active = await a.waitForCall((x) => x.id === ringing.id && x.state === 'active', 'active');
    expect(active.times.answered).toBeGreaterThanOrEqual(active.times.ringing ?? 0);
    await b.waitForCall((x) => x.id === dialled.id && x.state === 'active', 'caller active');
    // Media went through the media channel on both sides: offer/answer in the fake hosts.
    expect(a.media.sessions.get(ringing.id)?.remoteSdp).toContain('m=audio');
    expect(b.media.sessions.get(dialled.id)?.remoteSdp).toContain('m=audio');

    const held = await a.service.hold(ringing.id);
    expect(held.state).toBe('held');
    expect(held.times.holds).toHaveLength(1);
    expect(a.media.sessions.get(ringing.id)?.direction).toBe('sendonly');
    await b.waitForCall((x) => x.id === dialled.id && x.remoteHold, 'caller sees remote hold');
    expect(b.media.sessions.get(dialled.id)?.direction).toBe('recvonly');

    const resumed = await a.service.resume(ringing.id);
    expect(resumed.state).toBe('active');
    expect(resumed.times.holds[0]?.end).toBeDefined();
    await b.waitForCall((x) => x.id === dialled.id && !x.remoteHold, 'caller sees resume');

    await a.service.hangup(ringing.id);
    const aEnd = await a.waitForCall((x) => x.id === ringing.id && x.state === 'ended', 'agent ended');
    const bEnd = await b.waitForCall((x) => x.id === dialled.id && x.state === 'ended', 'caller ended');
    expect(aEnd.end).toEqual({ reason: 'local-hangup' });
    expect(bEnd.end).toEqual({ reason: 'remote-hangup' });
    expect(a.media.sessions.get(ringing.id)?.closed).toBe(true);
  });

  it('the caller hangs up an established call', async () => {
    const { fromCall, toCall } = await establish(b, a);
    await b.service.hangup(fromCall.id);
    expect((await a.waitForCall((x) => x.id === toCall.id && x.state === 'ended', 'ended')).end?.reason).toBe('remote-hangup');
    expect((await b.waitForCall((x) => x.id === fromCall.id && x.state === 'ended', 'ended')).end?.reason).toBe('local-hangup');
  });

  it('P-Asserted-Identity is preferred over From', async () => {
    await b.service.dial('1001', { 'P-Asserted-Identity': '"Zhang Wei" <sip:+8613800138000@calldesk.test>' });
    const ringing = await a.waitForCall(ringingIn, 'ringing');
    expect(ringing.remote).toEqual({
      number: '+8613800138000',
      displayName: 'Zhang Wei',
      uri: 'sip:+8613800138000@calldesk.test',
      source: 'p-asserted-identity',
    });
  });

  it('the agent dials out: busy (486) ends as busy on our side and rejected on theirs', async () => {
    const out = await a.service.dial('1002');
    const inbound = await b.waitForCall(ringingIn, 'ringing');
    await b.service.reject(inbound.id, 486);
    expect((await a.waitForCall((x) => x.id === out.id && x.state === 'ended', 'ended')).end).toEqual({ reason: 'busy', sipCode: 486 });
    expect((await b.waitForCall((x) => x.id === inbound.id && x.state === 'ended', 'ended')).end).toEqual({ reason: 'rejected', sipCode: 486 });
  });

  it('reject with the configured 603 Decline ends as rejected for the caller', async () => {
    b.behaviour.rejectCode = 603;
    const out = await a.service.dial('sip:1002@calldesk.test');
    const inbound = await b.waitForCall(ringingIn, 'ringing');
    await b.service.reject(inbound.id);
    expect((await a.waitForCall((x) => x.id === out.id && x.state === 'ended', 'ended')).end).toEqual({ reason: 'rejected', sipCode: 603 });
  });

  it('no answer: our ring timeout cancels the call (no-answer); the callee records a missed call', async () => {
    a.behaviour.ringTimeoutSeconds = 2;
    const out = await a.service.dial('1002');
    const inbound = await b.waitForCall(ringingIn, 'ringing');
    expect((await a.waitForCall((x) => x.id === out.id && x.state === 'ended', 'ended', 10_000)).end?.reason).toBe('no-answer');
    expect((await b.waitForCall((x) => x.id === inbound.id && x.state === 'ended', 'ended')).end).toEqual({ reason: 'missed' });
  });

  it('cancel: the agent hangs up while it rings (cancelled); the callee records a missed call', async () => {
    const out = await a.service.dial('1002');
    const inbound = await b.waitForCall(ringingIn, 'ringing');
    await a.waitForCall((x) => x.id === out.id && x.state === 'ringing', 'ringback');
    await a.service.hangup(out.id);
    expect((await a.waitForCall((x) => x.id === out.id && x.state === 'ended', 'ended')).end).toEqual({ reason: 'cancelled', sipCode: 487 });
    const missed = await b.waitForCall((x) => x.id === inbound.id && x.state === 'ended', 'ended');
    expect(missed.end?.reason).toBe('missed');
    expect(missed.times.answered).toBeUndefined();
  });

  it('inbound ring timeout: the agent misses the call, the caller gets no-answer (480)', async () => {
    a.behaviour.ringTimeoutSeconds = 2;
    const out = await b.service.dial('1001');
    const inbound = await a.waitForCall(ringingIn, 'ringing');
    const missed = await a.waitForCall((x) => x.id === inbound.id && x.state === 'ended', 'missed', 10_000);
    expect(missed.end).toEqual({ reason: 'missed', sipCode: 480, message: 'ring-timeout' });
    expect((await b.waitForCall((x) => x.id === out.id && x.state === 'ended', 'ended')).end).toEqual({ reason: 'no-answer', sipCode: 480 });
  });

  it('do-not-disturb rejects inbound calls and records them as missed', async () => {
    a.behaviour.doNotDisturb = true;
    const out = await b.service.dial('1001');
    expect((await b.waitForCall((x) => x.id === out.id && x.state === 'ended', 'ended')).end).toEqual({ reason: 'busy', sipCode: 486 });
    const missed = await a.waitForCall((x) => x.state === 'ended' && x.end?.message === 'do-not-disturb', 'missed (dnd)');
    expect(missed.end?.reason).toBe('missed');
  });

  it('auto-answer honours Call-Info answer-after', async () => {
    a.behaviour.autoAnswer = { enabled: false, delaySeconds: 0, honourCallInfo: true };
    const out = await b.service.dial('1001', { 'Call-Info': '<sip:calldesk.test>;answer-after=0' });
    await b.waitForCall((x) => x.id === out.id && x.state === 'active', 'auto-answered');
    expect(a.service.state().calls.some((x) => x.state === 'active' && x.direction === 'inbound')).toBe(true);
  });

  it('auto-answer after N seconds when enabled', async () => {
    a.behaviour.autoAnswer = { enabled: true, delaySeconds: 1, honourCallInfo: false };
    const out = await b.service.dial('1001');
    const ringing = await a.waitForCall(ringingIn, 'ringing');
    expect(ringing.autoAnswerAt).toBeGreaterThanOrEqual(ringing.times.created + 1000);
    await a.waitForCall((x) => x.id === ringing.id && x.state === 'active', 'auto-answered');
    await b.waitForCall((x) => x.id === out.id && x.state === 'active', 'caller connected');
  });

  it('DTMF by SIP INFO reaches the other side; RFC 4733 goes to the media host; mute reaches the media host', async () => {
    const { fromCall, toCall } = await establish(a, b);
    await a.service.dtmf(fromCall.id, '12#');
    await b.waitForCall((x) => x.id === toCall.id && x.dtmfReceived === '12#', 'DTMF 12# received');
    a.behaviour.dtmfMethod = 'rfc4733';
    await a.service.dtmf(fromCall.id, '9*');
    expect(a.media.sessions.get(fromCall.id)?.dtmf).toBe('9*');
    const muted = await a.service.mute(fromCall.id, true);
    expect(muted.muted).toBe(true);
    expect(a.media.sessions.get(fromCall.id)?.muted).toBe(true);
  });

  it('call waiting: a second call rings as waiting; answering it holds the first; swap; hang up both', async () => {
    const first = await establish(b, a);
    const out2 = await c.service.dial('1001');
    const second = await a.waitForCall((x) => ringingIn(x) && x.id !== first.toCall.id, 'second call ringing');
    expect(second.waiting).toBe(true);
    expect(second.remote.number).toBe('1003');

    await a.service.answer(second.id);
    await a.waitForCall((x) => x.id === second.id && x.state === 'active', 'second active');
    expect(a.service.call(first.toCall.id).state).toBe('held');
    await b.waitForCall((x) => x.id === first.fromCall.id && x.remoteHold, 'first caller on hold');

    await a.service.swap(first.toCall.id);
    expect(a.service.call(first.toCall.id).state).toBe('active');
    expect(a.service.call(second.id).state).toBe('held');
    await b.waitForCall((x) => x.id === first.fromCall.id && !x.remoteHold, 'first caller resumed');
    await c.waitForCall((x) => x.id === out2.id && x.remoteHold, 'second caller on hold');

    await a.service.hangup(first.toCall.id);
    await a.service.hangup(second.id);
    await b.waitForCall((x) => x.id === first.fromCall.id && x.end?.reason === 'remote-hangup', 'first ended');
    await c.waitForCall((x) => x.id === out2.id && x.end?.reason === 'remote-hangup', 'second ended');
  });

  it('blind transfer: the customer is REFERred to the third party and talks to it', async () => {
    const { fromCall: customerLeg, toCall: agentLeg } = await establish(b, a);
    await a.service.transferBlind(agentLeg.id, '1003');
    const atC = await c.waitForCall(ringingIn, 'transfer target rings');
    expect(atC.remote.number).toBe('1002');
    await c.service.answer(atC.id);
    await c.waitForCall((x) => x.id === atC.id && x.state === 'active', 'target active');
    const newLeg = await b.waitForCall((x) => x.linkedCallId === customerLeg.id && x.state === 'active', 'customer talks to target');
    expect(newLeg.remote.number).toBe('1003');
    const agentEnd = await a.waitForCall((x) => x.id === agentLeg.id && x.state === 'ended', 'agent leg ended');
    expect(agentEnd.end?.reason).toBe('transferred');
    expect(agentEnd.transfer).toMatchObject({ kind: 'blind', state: 'succeeded' });
    expect((await b.waitForCall((x) => x.id === customerLeg.id && x.state === 'ended', 'old leg ended')).end?.reason).toBe('transferred');
  });

  it('attended transfer: consult the third party, then REFER with Replaces joins customer and third party', async () => {
    const { fromCall: customerLeg, toCall: agentLeg } = await establish(b, a);
    const consult = await a.service.dial('1003');
    expect(a.service.call(agentLeg.id).state).toBe('held');
    const atC = await c.waitForCall(ringingIn, 'consulted party rings');
    await c.service.answer(atC.id);
    await a.waitForCall((x) => x.id === consult.id && x.state === 'active', 'consultation active');

    await a.service.transferAttended(agentLeg.id, consult.id);
    const replacing = await c.waitForCall((x) => x.direction === 'inbound' && x.id !== atC.id && x.state === 'active', 'replacing call active');
    expect(replacing.remote.number).toBe('1002');
    expect(replacing.linkedCallId).toBe(atC.id);
    expect((await c.waitForCall((x) => x.id === atC.id && x.state === 'ended', 'consult leg replaced')).end?.reason).toBe('replaced');
    await b.waitForCall((x) => x.linkedCallId === customerLeg.id && x.state === 'active', 'customer talks to third party');
    expect((await a.waitForCall((x) => x.id === agentLeg.id && x.state === 'ended', 'agent leg ended')).end?.reason).toBe('transferred');
    expect((await a.waitForCall((x) => x.id === consult.id && x.state === 'ended', 'consult ended')).end?.reason).toBe('transferred');
  });

  it('a restarted media host (renderer reload) gets every established call re-negotiated by re-INVITE', async () => {
    const { fromCall, toCall } = await establish(b, a);
    const before = a.media.sessions.get(toCall.id)?.descriptions ?? 0;
    const bSetsBefore = b.media.calls.filter((x) => x === `setDescription:${fromCall.id}`).length;
    a.remoteMedia.ready('reloaded-renderer');
    await a.waitFor(() => (a.media.sessions.get(toCall.id)?.descriptions ?? 0) > before, 'new offer from the media host');
    await b.waitFor(() => b.media.calls.filter((x) => x === `setDescription:${fromCall.id}`).length > bSetsBefore, 'caller got the re-INVITE');
    expect(a.service.call(toCall.id).state).toBe('active');
    expect(b.service.call(fromCall.id).state).toBe('active');
    expect(a.logs.some((r) => r.msg === 're-INVITE to renegotiate media')).toBe(true);
  });

  it('calls survive a transport loss: after re-registration established calls are re-INVITEd', async () => {
    const { fromCall, toCall } = await establish(b, a);
    // Let the caller's ACK reach the agent first: losing the transport between 200 OK and ACK is
    // a different case (the agent then retransmits its 200 until the ACK timeout).
    await new Promise((r) => setTimeout(r, 500));
    const before = a.media.sessions.get(toCall.id)?.descriptions ?? 0;
    const bAnswers = () => b.media.calls.filter((x) => x === `getDescription:${fromCall.id}`).length;
    const bAnswersBefore = bAnswers();
    a.network.emit('network-change');
    // Force the loss: the agent's WebSocket is closed under it.
    const ua = (a.service as unknown as { ua: { transport: { disconnect(): Promise<void> } } }).ua;
    await ua.transport.disconnect();
    await a.waitFor((s) => s.registration.state === 'registered' && (a.media.sessions.get(toCall.id)?.descriptions ?? 0) > before, 're-registered and re-INVITEd');
    // The caller answered the re-INVITE: its dialog now targets the agent's new connection.
    await b.waitFor(() => bAnswers() > bAnswersBefore, 'caller answered the re-INVITE');
    await b.service.hangup(fromCall.id);
    expect((await a.waitForCall((x) => x.id === toCall.id && x.state === 'ended', 'BYE reaches the agent on the new connection')).end?.reason).toBe(
      'remote-hangup',
    );
    expect(live(a.service.call(toCall.id))).toBe(false);
  });
});
