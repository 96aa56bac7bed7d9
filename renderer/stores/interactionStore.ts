import { create } from 'zustand';
import type { CalldeskApi } from '../../shared/api/client';
import type { Result } from '../../shared/api/result';
import type { Interaction } from '../../shared/interaction/interaction';

/** The contact log: a change counter per customer that timelines refresh on. */
export interface InteractionStore {
  /** Bumped per customer on every `interaction:logged` (key -1: entries without a customer). */
  revisions: Record<number, number>;
  /** Bumped on every (re)connection: every timeline reads again. */
  epoch: number;
  /** The last logged entry. */
  last: Interaction | null;
  attach(api: CalldeskApi): () => void;
  /** Makes every timeline read again (after a (re)connection). */
  refresh(): void;
  /** Runs any interaction API call over the attached API. */
  call<T>(action: (api: CalldeskApi) => Promise<Result<T>>): Promise<Result<T>>;
}

let apiRef: CalldeskApi | null = null;
const DISCONNECTED: Result<never> = { ok: false, error: { code: 'DISCONNECTED', message: 'Not connected' } };

/** The interaction store: one per app. */
export const useInteractionStore = create<InteractionStore>((set) => ({
  revisions: {},
  epoch: 0,
  last: null,
  refresh() {
    set((s) => ({ epoch: s.epoch + 1 }));
  },
  attach(api) {
    apiRef = api;
    return api.interaction.onLogged((entry) =>
      set((s) => {
        const key = entry.customerId ?? -1;
        return { last: entry, revisions: { ...s.revisions, [key]: (s.revisions[key] ?? 0) + 1 } };
      }),
    );
  },
  call(action) {
    return apiRef ? action(apiRef) : Promise.resolve(DISCONNECTED);
  },
}));
