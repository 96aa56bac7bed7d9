import { create } from 'zustand';
import type { CalldeskApi } from '../../shared/api/client';
import type { Result } from '../../shared/api/result';
import type { SyncNotice, SyncSignIn, SyncState } from '../../shared/sync/api';

/** Mirror of the core's `sync:state`: connection to the central server, outbox depth, first-sync progress, user. */
export interface SyncStore {
  /** Null until the core answers (or when it has no sync engine). */
  sync: SyncState | null;
  /** Server decisions not shown yet (conflicts, refusals, assignments), oldest first. */
  notices: SyncNotice[];
  /** Removes the notices the UI has shown. */
  takeNotices(): SyncNotice[];
  /** Reads the state and subscribes to `sync:state`; returns a teardown. */
  attach(api: CalldeskApi): () => void;
  /** Reads the state again (after a (re)connection: events are pushed only on change). */
  refresh(): Promise<void>;
  /** Signs in to the server at `url` (saved as `server.url`) and starts syncing. */
  signIn(req: SyncSignIn): Promise<Result<SyncState>>;
  /** Signs out; the outbox is kept for the next sign-in. */
  signOut(): Promise<Result<SyncState>>;
  /** Tries to reach the server now instead of waiting for the next retry. */
  retry(): Promise<Result<SyncState>>;
}

type SyncApi = CalldeskApi['sync'];

let apiRef: SyncApi | null = null;
/** Bumped by every pushed state, so a slower initial read never overwrites a newer event. */
let pushed = 0;
const DISCONNECTED: Result<never> = { ok: false, error: { code: 'DISCONNECTED', message: 'Not connected' } };

/** The sync store: one per app. */
export const useSyncStore = create<SyncStore>((set, get) => {
  const keep = (r: Result<SyncState>): Result<SyncState> => {
    if (r.ok) {
      pushed += 1;
      set({ sync: r.value });
    }
    return r;
  };
  return {
    sync: null,
    notices: [],
    takeNotices() {
      const taken = get().notices;
      if (taken.length > 0) set({ notices: [] });
      return taken;
    },
    attach(api) {
      // A core (or a test fake) without the sync channels simply has no server link to show.
      const sync = (api as Partial<CalldeskApi>).sync;
      if (!sync?.onState || !sync.state) return () => undefined;
      apiRef = sync;
      const off = sync.onState((state) => {
        pushed += 1;
        set({ sync: state });
      });
      const offNotice = sync.onNotice?.((notice) => set((s) => ({ notices: [...s.notices, notice].slice(-20) })));
      void useSyncStore.getState().refresh();
      return () => {
        off();
        offNotice?.();
        if (apiRef === sync) apiRef = null;
      };
    },
    async refresh() {
      if (!apiRef) return;
      const before = pushed;
      const r = await apiRef.state();
      if (r.ok && pushed === before) set({ sync: r.value });
    },
    async signIn(req) {
      if (!apiRef) return DISCONNECTED;
      return keep(await apiRef.signIn(req));
    },
    async signOut() {
      if (!apiRef) return DISCONNECTED;
      return keep(await apiRef.signOut());
    },
    async retry() {
      if (!apiRef) return DISCONNECTED;
      return keep(await apiRef.retry());
    },
  };
});
