import { joinQueueStats, type AgentQueuesState, type MyQueue, type QueueStats } from '../../../shared/acd/agentQueues';
import { AppError } from '../../../shared/api/result';
import type { RealtimeServerMessage } from '../../../shared/sync/protocol';
import type { Clock } from '../adapters';
import type { Logger } from '../log/logger';
import type { ServerApi } from '../sync/serverApi';

/** What {@link AgentQueues} needs. */
export interface AgentQueuesDeps {
  clock: Clock;
  logger: Logger;
  /** Called with the new state after every change. */
  onChange: (state: AgentQueuesState) => void;
}

/**
 * The agent's queues as the desktop shows them: membership and queue login from the server
 * (`/acd/my-queues`, read again each time the real-time channel says `ready`), joined with the live
 * figures the ACD router pushes on that channel (`queue-stats`). Nothing is polled.
 */
export class AgentQueues {
  private api: ServerApi | null = null;
  private mine: MyQueue[] = [];
  private stats = new Map<string, QueueStats>();
  private receivedAt = 0;

  constructor(private readonly deps: AgentQueuesDeps) {}

  /** A session with the server began (signed in, or resumed at start). */
  attach(api: ServerApi): void {
    this.api = api;
    this.publish();
  }

  /** The session ended (signed out, server changed): nothing to show. */
  detach(): void {
    this.api = null;
    this.mine = [];
    this.stats.clear();
    this.publish();
  }

  /** A message from the real-time channel. */
  onRealtime(msg: RealtimeServerMessage): void {
    if (msg.type === 'ready') void this.refresh();
    if (msg.type !== 'queue-stats') return;
    this.stats = new Map(msg.queues.map((q) => [q.id, q]));
    this.receivedAt = this.deps.clock.now();
    this.publish();
  }

  /** Reads the agent's queues from the server again. */
  async refresh(): Promise<void> {
    const api = this.api;
    if (!api) return;
    try {
      const mine = await api.myQueues();
      if (this.api !== api) return;
      this.mine = mine;
      this.publish();
    } catch (err) {
      this.deps.logger.warn('queues not read from the server', { error: (err as Error).message });
    }
  }

  /** Logs in to or out of one queue on the server. */
  async setLogin(queueId: string, loggedIn: boolean): Promise<AgentQueuesState> {
    const api = this.api;
    if (!api) throw new AppError('UNAUTHORIZED', 'Not signed in to the central server');
    this.mine = await api.setQueueLogin(queueId, loggedIn);
    this.deps.logger.info(loggedIn ? 'logged in to a queue' : 'logged out of a queue', { queue: queueId });
    this.publish();
    return this.state();
  }

  /** The agent's queues with their latest figures. */
  state(): AgentQueuesState {
    return { available: this.api !== null, queues: joinQueueStats(this.mine, this.stats, this.receivedAt) };
  }

  private publish(): void {
    this.deps.onChange(this.state());
  }
}
