import type { Task } from '../../shared/task/task';
import { createApiStore, type ApiStore } from './createApiStore';

/** Follow-ups and callbacks: a change counter the lists refresh on, and reminders to show. */
export interface TaskStore extends ApiStore {
  /** Bumped on every `task:changed`. */
  revision: number;
  /** Reminders received (`task:reminder`) and not shown yet. */
  reminders: Task[];
  /** Makes every list read again (after a (re)connection). */
  refresh(): void;
  /** Takes the reminders to show now (empties the queue). */
  takeReminders(): Task[];
}

/** The task store: one per app. */
export const useTaskStore = createApiStore<TaskStore>(
  (set, get) => ({
    revision: 0,
    reminders: [],
    refresh() {
      set((s) => ({ revision: s.revision + 1 }));
    },
    takeReminders() {
      const list = get().reminders;
      if (list.length > 0) set({ reminders: [] });
      return list;
    },
  }),
  (api, set) => {
    const offChanged = api.task.onChanged(() => set((s) => ({ revision: s.revision + 1 })));
    const offReminder = api.task.onReminder((task) => set((s) => ({ reminders: [...s.reminders.filter((r) => r.id !== task.id), task], revision: s.revision + 1 })));
    return () => {
      offChanged();
      offReminder();
    };
  },
);

/** End of the local day of `now` (epoch ms): the `until` of the my-day list. */
export function endOfLocalDay(now: number): number {
  const d = new Date(now);
  d.setHours(23, 59, 59, 999);
  return d.getTime();
}
