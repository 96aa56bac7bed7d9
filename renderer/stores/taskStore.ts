import { create } from 'zustand';
import type { CalldeskApi } from '../../shared/api/client';
import type { Result } from '../../shared/api/result';
import type { Task } from '../../shared/task/task';

/** Follow-ups and callbacks: a change counter the lists refresh on, and reminders to show. */
export interface TaskStore {
  /** Bumped on every `task:changed`. */
  revision: number;
  /** Reminders received (`task:reminder`) and not shown yet. */
  reminders: Task[];
  attach(api: CalldeskApi): () => void;
  /** Makes every list read again (after a (re)connection). */
  refresh(): void;
  /** Takes the reminders to show now (empties the queue). */
  takeReminders(): Task[];
  /** Runs any task API call over the attached API. */
  call<T>(action: (api: CalldeskApi) => Promise<Result<T>>): Promise<Result<T>>;
}

let apiRef: CalldeskApi | null = null;
const DISCONNECTED: Result<never> = { ok: false, error: { code: 'DISCONNECTED', message: 'Not connected' } };

/** The task store: one per app. */
export const useTaskStore = create<TaskStore>((set, get) => ({
  revision: 0,
  reminders: [],
  attach(api) {
    apiRef = api;
    const offChanged = api.task.onChanged(() => set((s) => ({ revision: s.revision + 1 })));
    const offReminder = api.task.onReminder((task) => set((s) => ({ reminders: [...s.reminders.filter((r) => r.id !== task.id), task], revision: s.revision + 1 })));
    return () => {
      offChanged();
      offReminder();
    };
  },
  refresh() {
    set((s) => ({ revision: s.revision + 1 }));
  },
  takeReminders() {
    const list = get().reminders;
    if (list.length > 0) set({ reminders: [] });
    return list;
  },
  call(action) {
    return apiRef ? action(apiRef) : Promise.resolve(DISCONNECTED);
  },
}));

/** End of the local day of `now` (epoch ms): the `until` of the my-day list. */
export function endOfLocalDay(now: number): number {
  const d = new Date(now);
  d.setHours(23, 59, 59, 999);
  return d.getTime();
}
