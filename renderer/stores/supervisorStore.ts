import { create } from 'zustand';
import type { CalldeskApi } from '../../shared/api/client';
import type { ApiError, Result } from '../../shared/api/result';
import { applyBoardDelta, type LiveBoard } from '../../shared/kpi/board';
import type { Report } from '../../shared/kpi/report';
import type { ReportRequest } from '../../shared/supervisor/api';

/** The supervisor workspace: the live board (loaded once, then kept current by pushed deltas) and reports. */
export interface SupervisorStore {
  board: LiveBoard | null;
  error: ApiError | null;
  /** Subscribes to board deltas; returns a teardown. */
  attach(api: CalldeskApi): () => void;
  /** Reads the whole board (on opening the page and after a reconnection). */
  load(): Promise<void>;
  report(q: ReportRequest): Promise<Result<Report>>;
}

let apiRef: CalldeskApi | null = null;
const DISCONNECTED: Result<never> = { ok: false, error: { code: 'DISCONNECTED', message: 'Not connected' } };

/** The supervisor store: one per app. */
export const useSupervisorStore = create<SupervisorStore>((set, get) => ({
  board: null,
  error: null,
  attach(api) {
    apiRef = api;
    const off = api.supervisor.onBoardDelta((delta) => {
      const board = get().board;
      if (board) set({ board: applyBoardDelta(board, delta) });
    });
    return () => {
      off();
      apiRef = null;
    };
  },
  async load() {
    if (!apiRef) return;
    const r = await apiRef.supervisor.board();
    if (r.ok) set({ board: r.value, error: null });
    else set({ error: r.error });
  },
  report(q) {
    return apiRef ? apiRef.supervisor.report(q) : Promise.resolve(DISCONNECTED);
  },
}));
