import { AppError } from '../../shared/api/result';
import type { Principal } from '../auth/tokens';
import type { Queryable } from '../db/db';

/**
 * Who a supervisor view may show (issue 12 item 8), decided on the server for every read and push:
 * - admin: every agent and every queue;
 * - supervisor: the agents of their team, and the queues with at least one member of that team (a
 *   supervisor without a team sees nobody);
 * - agent: refused (403); agents never see supervisor pages or another agent's numbers.
 */
export interface SupervisorScope {
  principal: Principal;
  /** Agent ids in scope; null = all. */
  agents: ReadonlySet<string> | null;
  /** Queue ids in scope; null = all. */
  queues: ReadonlySet<string> | null;
  /** A stable key: principals with the same key see the same board. */
  key: string;
}

/** The scope of `p`; throws FORBIDDEN for agents. */
export async function supervisorScope(p: Principal, q: Queryable): Promise<SupervisorScope> {
  if (p.role === 'admin') return { principal: p, agents: null, queues: null, key: 'all' };
  if (p.role !== 'supervisor') throw new AppError('FORBIDDEN', 'Supervisor views need the role supervisor or admin');
  if (p.team === null) return { principal: p, agents: new Set(), queues: new Set(), key: 'team:' };
  const { rows: people } = await q.query<{ id: string }>("SELECT id FROM users WHERE team = $1 AND role = 'agent'", [p.team]);
  const agents = new Set(people.map((r) => r.id));
  const { rows: qs } = await q.query<{ queue_id: string }>('SELECT DISTINCT queue_id FROM queue_members WHERE agent_id = ANY($1::text[])', [[...agents]]);
  return { principal: p, agents, queues: new Set(qs.map((r) => r.queue_id)), key: `team:${p.team}` };
}

/** True when the scope covers this agent. */
export function coversAgent(s: SupervisorScope, agentId: string): boolean {
  return s.agents === null || s.agents.has(agentId);
}

/** True when the scope covers this queue. */
export function coversQueue(s: SupervisorScope, queueId: string): boolean {
  return s.queues === null || s.queues.has(queueId);
}
