import { create } from 'zustand';
import { callLinkTarget } from '../../shared/phone/callLink';

/** A call link waiting for the agent's confirmation (links never dial by themselves). */
export interface DialStore {
  /** The number or URI to dial, once confirmed. */
  pending: string | null;
  /** A link the agent could not dial: shown so they know why nothing happened. */
  rejected: string | null;
  /** Offers a `tel:`/`sip:`/`callto:` link (URL parameter, OS protocol handler). */
  offer(link: string): void;
  clear(): void;
}

/** The dial prompt store. */
export const useDialStore = create<DialStore>((set) => ({
  pending: null,
  rejected: null,
  offer(link) {
    const target = callLinkTarget(link);
    set(target ? { pending: target, rejected: null } : { pending: null, rejected: link.slice(0, 200) });
  },
  clear() {
    set({ pending: null, rejected: null });
  },
}));
