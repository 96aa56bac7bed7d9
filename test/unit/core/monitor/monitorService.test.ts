import { SessionState, type Invitation } from 'sip.js';
import { describe, expect, it, vi } from 'vitest';
import { MonitorService } from '../../../../electron/core/monitor/monitorService';
import { createLogRoot, createMemorySink } from '../../../../electron/core/log/logger';
import { generateMonitorKey, signMonitorToken } from '../../../../server/monitor/tokenSigner';
import type { MonitorState } from '../../../../shared/monitor/api';

const NOW = Date.UTC(2026, 11, 3, 10, 0, 0);
const key = generateMonitorKey();

/** A stand-in for a sip.js Invitation: headers in, what the service answered out. */
function fakeInvitation(headers: Record<string, string>, id = `inv-${Math.random()}`) {
  const listeners: ((s: SessionState) => void)[] = [];
  const inv = {
    id,
    state: SessionState.Initial as SessionState,
    delegate: undefined as undefined | { onInfo?: (info: unknown) => void },
    request: { getHeader: (n: string) => headers[n.toLowerCase()], from: { uri: { toString: () => 'sip:1009@calldesk.test' } } },
    stateChange: { addListener: (l: (s: SessionState) => void) => listeners.push(l) },
    reject: vi.fn(async () => undefined),
    accept: vi.fn(async () => undefined),
    bye: vi.fn(async () => undefined),
    to(s: SessionState) {
      inv.state = s;
      for (const l of listeners) l(s);
    },
  };
  return inv;
}

function setup(opts: { indicator?: boolean } = {}) {
  const sink = createMemorySink();
  const states: MonitorState[] = [];
  const service = new MonitorService({
    ua: () => null,
    hasLiveCall: (id) => id === 'c-1',
    agentId: () => 'alice',
    serverKey: () => key.publicKeyBase64,
    showIndicator: () => opts.indicator ?? true,
    ownUri: () => 'sip:1001@calldesk.test',
    clock: { now: () => NOW },
    logger: createLogRoot([sink], 'debug').createLogger('monitor'),
    emit: (s) => states.push(s),
  });
  const take = (inv: ReturnType<typeof fakeInvitation>) => service.takeInvite(inv as unknown as Invitation);
  return { service, sink, states, take };
}
const good = () => signMonitorToken({ supervisor: 'sue', agent: 'alice', call: 'c-1' }, key, NOW);
const info = (contentType: string, body: string) => ({ request: { body, getHeader: (n: string) => (n === 'content-type' ? contentType : undefined) }, accept: vi.fn(async () => undefined), reject: vi.fn(async () => undefined) });

describe('MonitorService, agent side', () => {
  it('leaves an INVITE without a monitoring token to the phone', () => {
    const { take } = setup();
    const inv = fakeInvitation({});
    expect(take(inv)).toBe(false);
    expect(inv.reject).not.toHaveBeenCalled();
    expect(inv.accept).not.toHaveBeenCalled();
  });

  it('refuses a forged, expired or out-of-scope token with 403 and logs why, without answering or telling the UI', async () => {
    const { take, sink, states } = setup();
    const cases = [
      ['bad-signature', signMonitorToken({ supervisor: 'sue', agent: 'alice', call: 'c-1' }, generateMonitorKey(), NOW)],
      ['expired', signMonitorToken({ supervisor: 'sue', agent: 'alice', call: 'c-1' }, key, NOW - 61_000)],
      ['other-agent', signMonitorToken({ supervisor: 'sue', agent: 'carol', call: 'c-1' }, key, NOW)],
      ['no-such-call', signMonitorToken({ supervisor: 'sue', agent: 'alice', call: 'c-9' }, key, NOW)],
      ['malformed', 'hello'],
    ] as const;
    for (const [reason, token] of cases) {
      const inv = fakeInvitation({ 'x-calldesk-monitor': token });
      expect(take(inv)).toBe(true);
      expect(inv.reject).toHaveBeenCalledWith(expect.objectContaining({ statusCode: 403, extraHeaders: [`Warning: 399 calldesk "monitoring refused: ${reason}"`] }));
      expect(inv.accept).not.toHaveBeenCalled();
      expect(sink.records.at(-1)).toMatchObject({ level: 'warn', msg: 'monitoring request refused', fields: { reason } });
    }
    expect(states).toEqual([]);
  });

  it('answers a good token by itself, in the mode asked, marks the indicator by policy, and refuses the same token again', async () => {
    const { take, states } = setup({ indicator: false });
    const token = good();
    const inv = fakeInvitation({ 'x-calldesk-monitor': token, 'x-calldesk-monitor-mode': 'whisper' }, 'leg-1');
    expect(take(inv)).toBe(true);
    expect(inv.accept).toHaveBeenCalledTimes(1);
    expect(states.at(-1)!.sessions).toEqual([{ id: 'leg-1', role: 'agent', callId: 'c-1', peer: 'sue', mode: 'whisper', state: 'connecting', indicator: false }]);
    inv.to(SessionState.Established);
    expect(states.at(-1)!.sessions[0]!.state).toBe('active');

    const replay = fakeInvitation({ 'x-calldesk-monitor': token });
    take(replay);
    expect(replay.reject).toHaveBeenCalledWith(expect.objectContaining({ statusCode: 403, extraHeaders: ['Warning: 399 calldesk "monitoring refused: replayed"'] }));
  });

  it('switches modes on a mode INFO, refuses any other INFO, and ends the leg with the monitored call', async () => {
    const { take, states, service } = setup();
    const inv = fakeInvitation({ 'x-calldesk-monitor': good() }, 'leg-2');
    take(inv);
    inv.to(SessionState.Established);
    expect(states.at(-1)!.sessions[0]!.mode).toBe('listen');
    const barge = info('application/x-calldesk-monitor-mode', 'barge');
    inv.delegate!.onInfo!(barge);
    expect(barge.accept).toHaveBeenCalled();
    expect(states.at(-1)!.sessions[0]!.mode).toBe('barge');
    const dtmf = info('application/dtmf-relay', 'Signal=5');
    inv.delegate!.onInfo!(dtmf);
    expect(dtmf.reject).toHaveBeenCalledWith({ statusCode: 415 });
    const bad = info('application/x-calldesk-monitor-mode', 'shout');
    inv.delegate!.onInfo!(bad);
    expect(bad.reject).toHaveBeenCalledWith({ statusCode: 415 });
    expect(states.at(-1)!.sessions[0]!.mode).toBe('barge');

    service.callEnded('c-other');
    expect(inv.bye).not.toHaveBeenCalled();
    service.callEnded('c-1');
    expect(inv.bye).toHaveBeenCalledTimes(1);
    inv.to(SessionState.Terminated);
    await Promise.resolve();
    expect(states.at(-1)!.sessions[0]).toMatchObject({ state: 'ended', endReason: 'call-ended' });
    expect(service.state().sessions).toEqual([]);
  });
});

describe('MonitorService, supervisor side', () => {
  it('needs a SIP account to start, and knows only its own sessions', async () => {
    const { service } = setup();
    expect(() => service.start('1001', good(), 'listen')).toThrow(/No SIP account/);
    await expect(service.setMode('nope', 'barge')).rejects.toThrow(/No monitoring session/);
    expect(() => service.stop('nope')).toThrow(/No monitoring session/);
  });
});
