import type { AgentStateEvent } from '../../../shared/agent/state';
import type { RealtimeClientMessage } from '../../../shared/sync/protocol';
import { AgentStateRecorded } from '../agent/agentEvents';
import type { CoreBus, CoreEvent } from '../bus/coreBus';
import { CallAnswered, CallDialing, CallEnded, CallHeld, CallResumed, CallRinging, type CallEventBase } from '../phone/callEvents';

/** The call-event kind sent for each lifecycle event: the call state it entered. */
const CALL_KINDS: [CoreEvent<CallEventBase>, string][] = [
  [CallDialing, 'dialing'],
  [CallRinging, 'ringing'],
  [CallAnswered, 'active'],
  [CallHeld, 'held'],
  [CallResumed, 'active'],
  [CallEnded, 'ended'],
];

/**
 * Feeds the real-time channel for the supervisor views: every agent state change the workflow
 * recorded (the same event also goes through the outbox, and the server keeps one copy by id; the
 * state in force when the feed starts is sent first) and every call lifecycle event of the phone. Best effort by design: what is lost while offline is
 * either in the outbox (state changes) or only of live interest (call progress). Returns an
 * unsubscribe.
 */
export function startRealtimeFeed(deps: { bus: CoreBus; send: (m: RealtimeClientMessage) => void; latestAgentEvent?: () => AgentStateEvent | null }): () => void {
  // Per call and kind, how many were sent: a second hold or resume gets its own id (`:active:2`),
  // since the server keeps one event per id and would otherwise still show the call on hold.
  const seen = new Map<string, number>();
  const idOf = (callId: string, kind: string): string => {
    const key = `${callId}:${kind}`;
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    if (kind === 'ended') for (const k of [...seen.keys()]) if (k.startsWith(`${callId}:`)) seen.delete(k);
    return n === 1 ? key : `${key}:${n}`;
  };
  const latest = deps.latestAgentEvent?.();
  if (latest) deps.send({ type: 'agent-state', event: latest });
  const offs = [
    deps.bus.on(AgentStateRecorded, (event) => deps.send({ type: 'agent-state', event })),
    ...CALL_KINDS.map(([coreEvent, kind]) =>
      deps.bus.on(coreEvent, ({ call, at }) =>
        deps.send({
          type: 'call-event',
          event: { id: idOf(call.id, kind), callId: call.id, kind, at, data: { direction: call.direction, remote: call.remote.number ?? null } },
        }),
      ),
    ),
  ];
  return () => offs.forEach((off) => off());
}
