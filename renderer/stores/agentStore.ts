import type { AgentSnapshot, WrapUpResult, WrapUpSubmit } from '../../shared/agent/api';
import type { ManualAgentState } from '../../shared/agent/state';
import type { ApiError, Result } from '../../shared/api/result';
import { createApiStore, DISCONNECTED, type ApiStore } from './createApiStore';

/** Mirror of the core's agent snapshot (state, reason, timer start, wrap-up in progress). */
export interface AgentStore extends ApiStore {
  agent: AgentSnapshot | null;
  /** The last refused state change, shown next to the status item. */
  lastError: ApiError | null;
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
  /** Submits the wrap-up form on screen as its Submit button does (Alt+W); null while no form is shown. */
  submitWrapUpForm: (() => void) | null;
  /** The wrap-up form registers its submit while it is shown (null when it goes away). */
  setWrapUpForm(submit: (() => void) | null): void;
}

/** The agent store: one per app. Attaching reads the snapshot and subscribes to `agent:state`. */
export const useAgentStore = createApiStore<AgentStore>(
  (set, get, link) => {
    const keep = <T extends AgentSnapshot | WrapUpResult>(r: Result<T>): Result<T> => {
      if (r.ok) set({ agent: 'agent' in r.value ? r.value.agent : r.value, lastError: null });
      else set({ lastError: r.error });
      return r;
    };
    return {
      agent: null,
      lastError: null,
      async refresh() {
        const r = link.api ? await link.api.agent.state() : null;
        if (r?.ok) set({ agent: r.value });
      },
      async setState(state, reason) {
        if (!link.api) return DISCONNECTED;
        return keep(await link.api.agent.setState(reason ? { state, reason } : { state }));
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
        if (!link.api) return DISCONNECTED;
        // Refusals belong to the wrap-up form (per field), not to the status bar.
        const r = await link.api.wrapup.submit(req);
        if (r.ok) set({ agent: r.value.agent });
        return r;
      },
      async extendWrapUp() {
        if (!link.api) return DISCONNECTED;
        return keep(await link.api.wrapup.extend());
      },
      clearError() {
        set({ lastError: null });
      },
      submitWrapUpForm: null,
      setWrapUpForm(submit) {
        set({ submitWrapUpForm: submit });
      },
    };
  },
  (api, set, get) => {
    void get().refresh();
    return api.agent.onState((agent) => set({ agent }));
  },
);
