import { z } from 'zod';
import { queueIdSchema } from './queueConfig';

/**
 * What an agent sees of their queues: membership and queue login (server `GET /acd/my-queues`)
 * joined with the live figures the router pushes on the real-time channel (`queue-stats`).
 */

/** Live figures of one queue as the router knows them. */
export const queueStatsSchema = z.object({
  id: z.string().min(1).max(40),
  /** Calls in the queue not yet answered (waiting, or ringing at an agent). */
  waiting: z.number().int().min(0),
  /** Wait of the oldest of them at the time of the snapshot, in ms (0: none waiting). */
  longestWaitMs: z.number().int().min(0),
});
/** Live figures of one queue. */
export type QueueStats = z.infer<typeof queueStatsSchema>;

/** A queue the agent is a member of, and whether they are logged in to it. */
export const myQueueSchema = z.object({
  id: z.string().min(1).max(40),
  name: z.string(),
  loggedIn: z.boolean(),
});
/** One of the agent's queues. */
export type MyQueue = z.infer<typeof myQueueSchema>;

/** Body of `PUT /acd/my-queues/:id`: log in to (true) or out of (false) that queue. */
export const queueLoginSchema = z.object({ loggedIn: z.boolean() }).strict();

/** Path parameter of the queue login route. */
export const queueLoginParamsSchema = z.object({ id: queueIdSchema });

/** The agent's queues with live figures, as the desktop shows them (status bar, queue menu). */
export const agentQueueViewSchema = myQueueSchema.extend({
  waiting: z.number().int().min(0),
  longestWaitMs: z.number().int().min(0),
  /** Desktop clock time the figures were received (the UI ages `longestWaitMs` from here). */
  receivedAt: z.number(),
});
/** One row of {@link agentQueuesStateSchema}. */
export type AgentQueueView = z.infer<typeof agentQueueViewSchema>;

/** The agent's queues; `available` is false while the desktop is not signed in to a server. */
export const agentQueuesStateSchema = z.object({ available: z.boolean(), queues: z.array(agentQueueViewSchema) });
/** The agent's queues state. */
export type AgentQueuesState = z.infer<typeof agentQueuesStateSchema>;

/** Joins membership with the latest figures (a queue with no figures yet shows 0 waiting). */
export function joinQueueStats(mine: readonly MyQueue[], stats: ReadonlyMap<string, QueueStats>, receivedAt: number): AgentQueueView[] {
  return mine.map((q) => {
    const s = stats.get(q.id);
    return { ...q, waiting: s?.waiting ?? 0, longestWaitMs: s?.longestWaitMs ?? 0, receivedAt };
  });
}
