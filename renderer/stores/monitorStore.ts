import { create } from 'zustand';
import type { CalldeskApi } from '../../shared/api/client';
import type { ApiError } from '../../shared/api/result';
import type { MonitorSession } from '../../shared/monitor/api';
import type { MonitorMode } from '../../shared/monitor/token';

/** Mirror of the core's monitoring sessions (`monitor:state`) and the supervisor's actions on them. */
export interface MonitorStore {
  sessions: MonitorSession[];
  /** Why recent sessions ended, by session id (a refused request ends at once with its SIP code). */
  ended: Record<string, string>;
  lastError: ApiError | null;
  attach(api: CalldeskApi): () => void;
  /**
   * Supervisor: a token from the central server for one agent's call (for MonitorControl's
   * `requestToken`). Rejects with the server's reason (out of scope, not signed in).
   */
  requestToken(agent: string, call: string): Promise<string>;
  /** Supervisor: calls the agent's desktop with the server's token. */
  start(agent: string, token: string, mode: MonitorMode): Promise<MonitorSession | null>;
  /** Supervisor: switches the mode of a session. */
  setMode(sessionId: string, mode: MonitorMode): Promise<boolean>;
  /** Supervisor: ends a session. */
  stop(sessionId: string): Promise<boolean>;
}

let apiRef: CalldeskApi | null = null;

/** The monitoring store. */
export const useMonitorStore = create<MonitorStore>((set) => ({
  sessions: [],
  ended: {},
  lastError: null,
  attach(api) {
    apiRef = api;
    void api.monitor.state().then((r) => r.ok && set({ sessions: r.value.sessions }));
    return api.monitor.onState((state) =>
      set((prev) => {
        const ended = { ...prev.ended };
        for (const s of state.sessions) if (s.state === 'ended') ended[s.id] = s.endReason ?? '';
        return { sessions: state.sessions.filter((s) => s.state !== 'ended'), ended };
      }),
    );
  },
  async requestToken(agent, call) {
    if (!apiRef) throw new Error('not connected');
    const r = await apiRef.monitor.token({ agent, call });
    if (!r.ok) throw new Error(r.error.message);
    return r.value.token;
  },
  async start(agent, token, mode) {
    if (!apiRef) return null;
    const r = await apiRef.monitor.start({ agent, token, mode });
    set({ lastError: r.ok ? null : r.error });
    return r.ok ? r.value : null;
  },
  async setMode(sessionId, mode) {
    if (!apiRef) return false;
    const r = await apiRef.monitor.mode({ sessionId, mode });
    set({ lastError: r.ok ? null : r.error });
    return r.ok;
  },
  async stop(sessionId) {
    if (!apiRef) return false;
    const r = await apiRef.monitor.stop({ sessionId });
    set({ lastError: r.ok ? null : r.error });
    return r.ok;
  },
}));
