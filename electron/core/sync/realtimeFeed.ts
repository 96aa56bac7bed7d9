import type Database from 'better-sqlite3';
import type { RealtimeClientMessage } from '../../../shared/sync/protocol';
import { AgentStateRepository } from '../agent/agentStateRepository';
import type { Clock } from '../adapters';
import type { CoreEvents } from '../events';

/**
 * Feeds the real-time channel for the supervisor views: every agent state change (the event the
 * workflow recorded; the same event also goes through the outbox, and the server keeps one copy by
 * id) and every call state change. Best effort by design: what is lost while offline is either in
 * the outbox (state changes) or only of live interest (call progress). Returns an unsubscribe.
 */
export function startRealtimeFeed(deps: { db: Database.Database; events: CoreEvents; clock: Clock; send: (m: RealtimeClientMessage) => void }): () => void {
  const states = new AgentStateRepository(deps.db);
  let lastEventId: string | null = null;
  const callStates = new Map<string, string>();
  const offs = [
    deps.events.on('agent:state', (snap) => {
      const e = states.last(snap.agentId);
      if (!e || e.id === lastEventId) return;
      lastEventId = e.id;
      deps.send({ type: 'agent-state', event: e });
    }),
    deps.events.on('phone:state', (phone) => {
      const live = new Set<string>();
      for (const call of phone.calls) {
        live.add(call.id);
        if (callStates.get(call.id) === call.state) continue;
        callStates.set(call.id, call.state);
        const at = deps.clock.now();
        deps.send({
          type: 'call-event',
          event: { id: `${call.id}:${call.state}`, callId: call.id, kind: call.state, at, data: { direction: call.direction, remote: call.remote.number ?? null } },
        });
      }
      for (const id of callStates.keys()) if (!live.has(id)) callStates.delete(id);
    }),
  ];
  return () => offs.forEach((off) => off());
}
