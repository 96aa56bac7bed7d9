import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningPbx } from '../../../scripts/pbx.mjs';
import type { CoreEvent } from '../../../electron/core/bus/coreBus';
import { CallAnswered, CallDialing, CallEnded, CallHeld, CallResumed, CallRinging, CallTransferred, type CallEventBase } from '../../../electron/core/phone/callEvents';
import type { CallSnapshot } from '../../../shared/phone/call';
import { registeredPhone, startTestPhone, startTestPbx, type TestPhone } from '../../helpers/phoneHarness';

/**
 * The call lifecycle events the phone puts on the core bus, on real SIP through a real Kamailio:
 * every event comes once per call (held/resumed once per hold), in order, whatever the path.
 */

const EVENTS: [string, CoreEvent<CallEventBase>][] = [
  ['dialing', CallDialing],
  ['ringing', CallRinging],
  ['answered', CallAnswered],
  ['held', CallHeld],
  ['resumed', CallResumed],
  ['transferred', CallTransferred],
  ['ended', CallEnded],
];

let pbx: RunningPbx;
let a: TestPhone; // the agent
let b: TestPhone; // a customer
let c: TestPhone; // a third party
const seen = new Map<TestPhone, { name: string; callId: string; state: string; reason?: string }[]>();

beforeAll(async () => {
  pbx = await startTestPbx();
  [a, b, c] = await Promise.all([registeredPhone(pbx, '1001'), registeredPhone(pbx, '1002'), registeredPhone(pbx, '1003')]);
  for (const p of [a, b, c]) {
    const list: { name: string; callId: string; state: string; reason?: string }[] = [];
    seen.set(p, list);
    for (const [name, event] of EVENTS) {
      p.bus.on(event, (e) => void list.push({ name, callId: e.call.id, state: e.call.state, ...('reason' in e ? { reason: (e as { reason: { reason: string } }).reason.reason } : {}) }));
    }
  }
});

afterEach(async () => {
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

const ringingIn = (x: CallSnapshot) => x.direction === 'inbound' && x.state === 'ringing';
/** The names of the lifecycle events one call got, in order. */
const namesOf = (p: TestPhone, callId: string) => seen.get(p)!.filter((e) => e.callId === callId).map((e) => e.name);
/** Waits until the call's CallEnded arrived (the snapshot may say ended a tick before). */
const ended = (p: TestPhone, callId: string) => p.waitFor(() => namesOf(p, callId).includes('ended'), `CallEnded of ${callId}`);

async function establish(from: TestPhone, to: TestPhone) {
  const out = await from.service.dial(to.user);
  const inbound = await to.waitForCall(ringingIn, 'inbound ringing');
  await to.service.answer(inbound.id);
  await to.waitForCall((x) => x.id === inbound.id && x.state === 'active', 'answered call active');
  await from.waitForCall((x) => x.id === out.id && x.state === 'active', 'outbound call active');
  return { out, inbound };
}

describe('call lifecycle events on the core bus (real Kamailio)', () => {
  it('answer, hold, resume, hold again and hang up: each event once per call (twice for a second hold), in order', async () => {
    const { out, inbound } = await establish(b, a);
    await a.service.hold(inbound.id);
    await a.service.resume(inbound.id);
    await a.service.hold(inbound.id);
    await a.service.resume(inbound.id);
    await a.service.hangup(inbound.id);
    await ended(a, inbound.id);
    await ended(b, out.id);
    expect(namesOf(a, inbound.id)).toEqual(['ringing', 'answered', 'held', 'resumed', 'held', 'resumed', 'ended']);
    expect(namesOf(b, out.id)).toEqual(['dialing', 'ringing', 'answered', 'ended']);
    expect(seen.get(a)!.find((e) => e.callId === inbound.id && e.name === 'ended')).toMatchObject({ state: 'ended', reason: 'local-hangup' });
    expect(seen.get(a)!.find((e) => e.callId === inbound.id && e.name === 'answered')).toMatchObject({ state: 'active' });
  });

  it('blind transfer: the agent leg is answered, transferred and ended once', async () => {
    const { out, inbound } = await establish(b, a);
    await a.service.transferBlind(inbound.id, '1003');
    const atC = await c.waitForCall(ringingIn, 'transfer target rings');
    await c.service.answer(atC.id);
    await ended(a, inbound.id);
    await ended(b, out.id);
    expect(namesOf(a, inbound.id)).toEqual(['ringing', 'answered', 'transferred', 'ended']);
    expect(seen.get(a)!.find((e) => e.callId === inbound.id && e.name === 'ended')?.reason).toBe('transferred');
    // The customer's old leg left by the REFER too; its new leg to the target is a call of its own.
    expect(namesOf(b, out.id)).toEqual(['dialing', 'ringing', 'answered', 'transferred', 'ended']);
    const newLeg = b.service.state().calls.find((x) => x.linkedCallId === out.id)!;
    expect(namesOf(b, newLeg.id).slice(0, 3)).toEqual(['dialing', 'ringing', 'answered']);
  });

  it('attended transfer: the held agent leg and the consultation are each answered, transferred and ended once', async () => {
    const { out, inbound: agentLeg } = await establish(b, a);
    const consult = await a.service.dial('1003');
    const atC = await c.waitForCall(ringingIn, 'consulted party rings');
    await c.service.answer(atC.id);
    await a.waitForCall((x) => x.id === consult.id && x.state === 'active', 'consultation active');
    await a.service.transferAttended(agentLeg.id, consult.id);
    const replacing = await c.waitForCall((x) => x.direction === 'inbound' && x.id !== atC.id && x.state === 'active', 'replacing call active');
    await ended(a, agentLeg.id);
    await ended(a, consult.id);
    await ended(c, atC.id);
    expect(namesOf(a, agentLeg.id)).toEqual(['ringing', 'answered', 'held', 'transferred', 'ended']);
    expect(namesOf(a, consult.id)).toEqual(['dialing', 'ringing', 'answered', 'transferred', 'ended']);
    expect(namesOf(c, atC.id)).toEqual(['ringing', 'answered', 'ended']);
    expect(seen.get(c)!.find((e) => e.callId === atC.id && e.name === 'ended')?.reason).toBe('replaced');
    // The customer's leg left by the REFER; the call that replaced the consultation at the third party rings and is answered once (taken over at once).
    await ended(b, out.id);
    expect(namesOf(b, out.id)).toEqual(['dialing', 'ringing', 'answered', 'transferred', 'ended']);
    expect(namesOf(c, replacing.id)).toEqual(['ringing', 'answered']);
  });

  it('a renderer reload (media host restart) and a transport loss re-INVITE the call without repeating any event', async () => {
    const { out, inbound } = await establish(b, a);
    const before = a.media.sessions.get(inbound.id)?.descriptions ?? 0;
    a.remoteMedia.ready('reloaded-renderer');
    await a.waitFor(() => (a.media.sessions.get(inbound.id)?.descriptions ?? 0) > before, 'renegotiated after the reload');
    await new Promise((r) => setTimeout(r, 500));
    const afterReload = a.media.sessions.get(inbound.id)?.descriptions ?? 0;
    const ua = (a.service as unknown as { ua: { transport: { disconnect(): Promise<void> } } }).ua;
    await ua.transport.disconnect();
    await a.waitFor((s) => s.registration.state === 'registered' && (a.media.sessions.get(inbound.id)?.descriptions ?? 0) > afterReload, 're-registered and re-INVITEd');
    expect(a.service.call(inbound.id).state).toBe('active');
    await b.service.hangup(out.id);
    await ended(a, inbound.id);
    expect(namesOf(a, inbound.id)).toEqual(['ringing', 'answered', 'ended']);
    expect(seen.get(a)!.find((e) => e.callId === inbound.id && e.name === 'ended')?.reason).toBe('remote-hangup');
  });

  it('ring timeout: an unanswered inbound call rings once and ends once as missed', async () => {
    a.behaviour.ringTimeoutSeconds = 1;
    const out = await b.service.dial('1001');
    const inbound = await a.waitForCall(ringingIn, 'ringing');
    await ended(a, inbound.id);
    await ended(b, out.id);
    expect(namesOf(a, inbound.id)).toEqual(['ringing', 'ended']);
    expect(a.service.call(inbound.id).end).toMatchObject({ reason: 'missed', message: 'ring-timeout' });
    expect(namesOf(b, out.id)).toEqual(['dialing', 'ringing', 'ended']);
  });

  it('ring timeout of an outbound call: dialing, ringing and ended once each (no answer); the callee misses it once', async () => {
    b.behaviour.ringTimeoutSeconds = 1;
    const out = await b.service.dial('1001');
    const inbound = await a.waitForCall(ringingIn, 'ringing');
    await ended(b, out.id);
    await ended(a, inbound.id);
    expect(namesOf(b, out.id)).toEqual(['dialing', 'ringing', 'ended']);
    expect(b.service.call(out.id).end).toMatchObject({ reason: 'no-answer' });
    expect(namesOf(a, inbound.id)).toEqual(['ringing', 'ended']);
    expect(seen.get(a)!.find((e) => e.callId === inbound.id && e.name === 'ended')?.reason).toBe('missed');
  });

  it('the ringing call carries the caller identity the phone parsed from the INVITE (nobody parses From again)', async () => {
    const rung: CallSnapshot[] = [];
    const off = a.bus.on(CallRinging, (e) => void rung.push(e.call));
    try {
      const out = await b.service.dial('1001');
      const inbound = await a.waitForCall(ringingIn, 'ringing');
      expect(rung.find((x) => x.id === inbound.id)?.caller).toMatchObject({
        candidates: expect.arrayContaining([expect.objectContaining({ user: '1002', numberText: '1002', withheld: false })]),
        privacyId: false,
        plain: null,
      });
      expect(b.service.call(out.id).caller.candidates).toEqual([{ source: 'to', user: '1001', numberText: '1001', withheld: false }]);
    } finally {
      off();
    }
  });

  it('do-not-disturb: a call refused without ringing still ends once', async () => {
    a.behaviour.doNotDisturb = true;
    const out = await b.service.dial('1001');
    await ended(b, out.id);
    const refused = seen.get(a)!.filter((e) => e.name === 'ended' && e.reason === 'missed').at(-1)!;
    expect(namesOf(a, refused.callId)).toEqual(['ended']);
  });

  it('a phone stopped during a call (account change, quit) still reports the call ended once', async () => {
    const d = await registeredPhone(pbx, '1004');
    const names: string[] = [];
    for (const [name, event] of EVENTS) d.bus.on(event, () => void names.push(name));
    try {
      await b.service.dial('1004');
      const inbound = await d.waitForCall(ringingIn, 'ringing at 1004');
      await d.service.answer(inbound.id);
      await d.waitForCall((x) => x.id === inbound.id && x.state === 'active', 'active at 1004');
      await d.service.stop();
      expect(names).toEqual(['ringing', 'answered', 'ended']);
    } finally {
      await d.stop().catch(() => undefined);
    }
  });
});
