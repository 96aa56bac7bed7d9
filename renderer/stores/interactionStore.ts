import type { Interaction } from '../../shared/interaction/interaction';
import { createApiStore, type ApiStore } from './createApiStore';

/** The contact log: a change counter per customer that timelines refresh on. */
export interface InteractionStore extends ApiStore {
  /** Bumped per customer on every `interaction:logged` (key -1: entries without a customer). */
  revisions: Record<number, number>;
  /** Bumped on every (re)connection: every timeline reads again. */
  epoch: number;
  /** The last logged entry. */
  last: Interaction | null;
  /** Makes every timeline read again (after a (re)connection). */
  refresh(): void;
}

/** The interaction store: one per app. */
export const useInteractionStore = createApiStore<InteractionStore>(
  (set) => ({
    revisions: {},
    epoch: 0,
    last: null,
    refresh() {
      set((s) => ({ epoch: s.epoch + 1 }));
    },
  }),
  (api, set) =>
    api.interaction.onLogged((entry) =>
      set((s) => {
        const key = entry.customerId ?? -1;
        return { last: entry, revisions: { ...s.revisions, [key]: (s.revisions[key] ?? 0) + 1 } };
      }),
    ),
);
