import type { CalldeskApi } from '../../shared/api/client';
import type { Result } from '../../shared/api/result';
import type { SyncNotice, SyncSignIn, SyncState } from '../../shared/sync/api';
import { createApiStore, DISCONNECTED, type ApiLink, type ApiStore } from './createApiStore';

/** Mirror of the core's `sync:state`: connection to the central server, outbox depth, first-sync progress, user. */
export interface SyncStore extends ApiStore {
  /** Null until the core answers (or when it has no sync engine). */
  sync: SyncState | null;
  /** Server decisions not shown yet (conflicts, refusals, assignments), oldest first. */
  notices: SyncNotice[];
  /** Removes the notices the UI has shown. */
  takeNotices(): SyncNotice[];
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

/** The sync channels of the attached API: a core (or a test fake) without them has no server link to show. */
function syncOf(link: ApiLink): SyncApi | null {
  const sync = (link.api as Partial<CalldeskApi> | null)?.sync;
  return typeof sync?.onState === 'function' && typeof sync.state === 'function' ? sync : null;
}

/** Bumped by every pushed state, so a slower initial read never overwrites a newer event. */
let pushed = 0;

/** The sync store: one per app. */
export const useSyncStore = createApiStore<SyncStore>(
  (set, get, link) => {
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
      async refresh() {
        const sync = syncOf(link);
        if (!sync) return;
        const before = pushed;
        const r = await sync.state();
        if (r.ok && pushed === before) set({ sync: r.value });
      },
      async signIn(req) {
        const sync = syncOf(link);
        return sync ? keep(await sync.signIn(req)) : DISCONNECTED;
      },
      async signOut() {
        const sync = syncOf(link);
        return sync ? keep(await sync.signOut()) : DISCONNECTED;
      },
      async retry() {
        const sync = syncOf(link);
        return sync ? keep(await sync.retry()) : DISCONNECTED;
      },
    };
  },
  (api, set, get) => {
    const sync = (api as Partial<CalldeskApi>).sync;
    if (!sync?.onState || !sync.state) return;
    const off = sync.onState((state) => {
      pushed += 1;
      set({ sync: state });
    });
    const offNotice = sync.onNotice?.((notice) => set((s) => ({ notices: [...s.notices, notice].slice(-20) })));
    void get().refresh();
    return () => {
      off();
      offNotice?.();
    };
  },
);
