/**
 * A core-only event: a typed token modules emit and subscribe to through a {@link CoreBus}.
 * Declare one constant per event next to the module that emits it; "find references" on that
 * constant lists the emitter and every consumer.
 */
export interface CoreEvent<T> {
  readonly name: string;
  /** Never set: carries the payload type. */
  readonly payload?: T;
}

/** Declares a core event with its payload type. */
export function coreEvent<T>(name: string): CoreEvent<T> {
  return { name };
}

/** Receives what a module reports when a listener throws (the bus itself never throws). */
export type BusErrorHandler = (event: string, error: Error) => void;

/**
 * The core's internal bus: how modules tell each other what happened (a call rang, an outbox row
 * was committed). Separate from {@link CoreEvents}, which carries the UI contract's event channels
 * to the renderer. Listeners run synchronously in subscription order; one that throws is reported
 * and does not stop the others.
 */
export class CoreBus {
  private readonly listeners = new Map<CoreEvent<unknown>, Set<(payload: unknown) => void>>();

  constructor(private readonly onError: BusErrorHandler = () => undefined) {}

  /** Subscribes to one event; returns an unsubscribe. */
  on<T>(event: CoreEvent<T>, listener: (payload: T) => void): () => void {
    let set = this.listeners.get(event as CoreEvent<unknown>);
    if (!set) this.listeners.set(event as CoreEvent<unknown>, (set = new Set()));
    const l = listener as (payload: unknown) => void;
    set.add(l);
    return () => set.delete(l);
  }

  /** Delivers one event to every subscriber. */
  emit<T>(event: CoreEvent<T>, payload: T): void {
    for (const l of [...(this.listeners.get(event as CoreEvent<unknown>) ?? [])]) {
      try {
        l(payload);
      } catch (err) {
        this.onError(event.name, err as Error);
      }
    }
  }
}
