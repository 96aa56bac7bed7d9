import type { EventChannel, EventPayload } from '../../shared/api/contract';

type Listener<C extends EventChannel> = (payload: EventPayload<C>) => void;

/** Typed bus for the contract's event channels. Transports subscribe to every channel. */
export class CoreEvents {
  private readonly listeners = new Map<EventChannel, Set<(payload: unknown) => void>>();

  /** Subscribes to one channel; returns an unsubscribe. */
  on<C extends EventChannel>(channel: C, listener: Listener<C>): () => void {
    let set = this.listeners.get(channel);
    if (!set) this.listeners.set(channel, (set = new Set()));
    const l = listener as (payload: unknown) => void;
    set.add(l);
    return () => set.delete(l);
  }

  /** Emits to every subscriber of a channel. A throwing listener does not stop the others. */
  emit<C extends EventChannel>(channel: C, payload: EventPayload<C>): void {
    for (const l of this.listeners.get(channel) ?? []) {
      try {
        l(payload);
      } catch {
        // One broken subscriber (e.g. a closed socket) must not starve the rest.
      }
    }
  }
}
