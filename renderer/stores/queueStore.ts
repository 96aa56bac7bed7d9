import { create } from 'zustand';
import type { AgentQueuesState } from '../../shared/acd/agentQueues';
import type { CalldeskApi } from '../../shared/api/client';
import type { Result } from '../../shared/api/result';

/** Mirror of the core's `acd:queues`: the agent's queues, their login and their live figures. */
export interface QueueStore {
  /** Null until the core answers (or when it has no queue channels). */
  queues: AgentQueuesState | null;
  /** Reads the state and subscribes to `acd:queues`; returns a teardown. */
  attach(api: CalldeskApi): () => void;
  /** Reads the state again (after a reconnection). */
  refresh(): Promise<void>;
  /** Logs in to or out of one queue. */
  setLogin(queueId: string, loggedIn: boolean): Promise<Result<AgentQueuesState>>;
}

type AcdApi = CalldeskApi['acd'];
let apiRef: AcdApi | null = null;
let pushed = 0;
const DISCONNECTED: Result<never> = { ok: false, error: { code: 'DISCONNECTED', message: 'Not connected' } };

/** The queue store: one per app. */
export const useQueueStore = create<QueueStore>((set) => ({
  queues: null,
  attach(api) {
    const acd = (api as Partial<CalldeskApi>).acd;
    if (!acd?.onQueues || !acd.queues) return () => undefined;
    apiRef = acd;
    const off = acd.onQueues((queues) => {
      pushed += 1;
      set({ queues });
    });
    void useQueueStore.getState().refresh();
    return () => {
      off();
      if (apiRef === acd) apiRef = null;
    };
  },
  async refresh() {
    if (!apiRef) return;
    const before = pushed;
    const r = await apiRef.queues();
    if (r.ok && pushed === before) set({ queues: r.value });
  },
  async setLogin(queueId, loggedIn) {
    if (!apiRef) return DISCONNECTED;
    const r = await apiRef.setLogin({ queueId, loggedIn });
    if (r.ok) {
      pushed += 1;
      set({ queues: r.value });
    }
    return r;
  },
}));
