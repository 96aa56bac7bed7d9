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

/** Runs `fn` every `ms` on a scheduler (chained timeouts); returns a cancel function. */
export function repeat(scheduler: Scheduler, ms: number, fn: () => void): () => void {
  let handle: TimerHandle | null = null;
  let cancelled = false;
  const arm = () => {
    handle = scheduler.setTimeout(() => {
      if (cancelled) return;
      arm();
      fn();
    }, ms);
  };
  arm();
  return () => {
    cancelled = true;
    if (handle) scheduler.clearTimeout(handle);
  };
}

/** Resolves after `ms` on a scheduler. */
export function sleep(scheduler: Scheduler, ms: number): Promise<void> {
  return new Promise((resolve) => void scheduler.setTimeout(resolve, ms));
}
