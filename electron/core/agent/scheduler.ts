/** A timer handle from a {@link Scheduler}. */
export type TimerHandle = { readonly __timer: unique symbol } | object;

/** Timers, injected so tests drive time with a fake clock. */
export interface Scheduler {
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** The real timers (unref'ed: a pending reminder never keeps the process alive). */
export const systemScheduler: Scheduler = {
  setTimeout(fn, ms) {
    const t = setTimeout(fn, Math.max(0, ms));
    t.unref?.();
    return t;
  },
  clearTimeout(handle) {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
};
