import { create } from 'zustand';
import type { AgentSnapshot, WrapUpResult, WrapUpSubmit } from '../../shared/agent/api';
import type { ManualAgentState } from '../../shared/agent/state';
import type { CalldeskApi } from '../../shared/api/client';
import type { ApiError, Result } from '../../shared/api/result';

/** Mirror of the core's agent snapshot (state, reason, timer start, wrap-up in progress). */
export interface AgentStore {
  agent: AgentSnapshot | null;
  /** The last refused state change, shown next to the status item. */
  lastError: ApiError | null;
  /** Subscribes to `agent:state`; returns a teardown. */
  attach(api: CalldeskApi): () => void;
  /** Reads the snapshot again (after a (re)connection: events are pushed only on change). */
  refresh(): Promise<void>;
  /** Ready, not ready (with a configured reason) or logged out; during a call it is applied after the call work. */
  setState(state: ManualAgentState, reason?: string): Promise<Result<AgentSnapshot>>;
  /** Ready <-> not ready (the first configured reason that is not the missed-call reason). */
  toggleReady(reasons: readonly string[]): Promise<Result<AgentSnapshot>>;
  /** Submits the wrap-up in progress (one `wrapup:submit`). */
  submitWrapUp(req: WrapUpSubmit | Partial<WrapUpSubmit>): Promise<Result<WrapUpResult>>;
  /** Extends a time-boxed wrap-up once. */
  extendWrapUp(): Promise<Result<AgentSnapshot>>;
  clearError(): void;
}

let apiRef: CalldeskApi | null = null;
const DISCONNECTED: Result<never> = { ok: false, error: { code: 'DISCONNECTED', message: 'Not connected' } };

/** The agent store: one per app. */
export const useAgentStore = create<AgentStore>((set, get) => {
  const keep = <T extends AgentSnapshot | WrapUpResult>(r: Result<T>): Result<T> => {
    if (r.ok) set({ agent: 'agent' in r.value ? r.value.agent : r.value, lastError: null });
    else set({ lastError: r.error });
    return r;
  };
  return {
    agent: null,
    lastError: null,
    attach(api) {
      apiRef = api;
      void get().refresh();
      return api.agent.onState((agent) => set({ agent }));
    },
    async refresh() {
      const r = apiRef ? await apiRef.agent.state() : null;
      if (r?.ok) set({ agent: r.value });
    },
    async setState(state, reason) {
      if (!apiRef) return DISCONNECTED;
      return keep(await apiRef.agent.setState(reason ? { state, reason } : { state }));
    },
    toggleReady(reasons) {
      const agent = get().agent;
      const current = agent?.pending?.state ?? agent?.state;
      if (current === 'ready') {
        const reason = reasons.find((r) => r !== 'missed-call') ?? reasons[0] ?? 'break';
        return get().setState('not-ready', reason);
      }
      return get().setState('ready');
    },
    async submitWrapUp(req) {
      if (!apiRef) return DISCONNECTED;
      // Refusals belong to the wrap-up form (per field), not to the status bar.
      const r = await apiRef.wrapup.submit(req);
      if (r.ok) set({ agent: r.value.agent });
      return r;
    },
    async extendWrapUp() {
      if (!apiRef) return DISCONNECTED;
      return keep(await apiRef.wrapup.extend());
    },
    clearError() {
      set({ lastError: null });
    },
  };
});
