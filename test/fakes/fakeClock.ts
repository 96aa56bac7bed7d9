import type { Clock } from '../../electron/core/adapters';
import type { Scheduler, TimerHandle } from '../../electron/core/adapters/scheduler';

/** A clock and scheduler that only move when the test says so. */
export interface FakeClock extends Clock, Scheduler {
  /** Moves time forward, firing every timer that falls due, in order. */
  advance(ms: number): void;
  /** Sets the time (forward only), firing due timers. */
  set(at: number): void;
  /** Timers still pending. */
  pending(): number;
}

/** A fake clock starting at `start` (epoch ms). */
export function createFakeClock(start = Date.UTC(2026, 10, 24, 9, 0, 0)): FakeClock {
  let now = start;
  let nextId = 1;
  const timers = new Map<number, { at: number; fn: () => void }>();
  const fire = (until: number) => {
    for (;;) {
      let due: [number, { at: number; fn: () => void }] | null = null;
      for (const entry of timers) if (entry[1].at <= until && (!due || entry[1].at < due[1].at)) due = entry;
      if (!due) break;
      timers.delete(due[0]);
      now = Math.max(now, due[1].at);
      due[1].fn();
    }
    now = until;
  };
  return {
    now: () => now,
    setTimeout(fn, ms) {
      const id = nextId++;
      timers.set(id, { at: now + Math.max(0, ms), fn });
      return { id } as unknown as TimerHandle;
    },
    clearTimeout(handle) {
      timers.delete((handle as unknown as { id: number }).id);
    },
    advance(ms) {
      fire(now + ms);
    },
    set(at) {
      fire(Math.max(now, at));
    },
    pending: () => timers.size,
  };
}
