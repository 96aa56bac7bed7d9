import type { Ticket, TicketType, TicketPriority } from '../../shared/ticket/ticket';
import { createApiStore, type ApiStore } from './createApiStore';

/** What the new-ticket form starts with (from the current call, a customer, or nothing). */
export interface TicketPrefill {
  type?: TicketType;
  priority?: TicketPriority;
  category?: string;
  subject?: string;
  description?: string;
  customerId?: number | null;
  /** Shown next to the customer field. */
  customerName?: string;
  interactionIds?: string[];
  /** A logged interaction to draft from (`ticket:draft`), e.g. the call in wrap-up. */
  fromInteractionId?: string;
  /** The live call the ticket is raised during: the core links it to the call once logged. */
  fromCallId?: string;
}

/** Tickets: the open new-ticket form, a change counter lists refresh on, and customer names for lists. */
export interface TicketStore extends ApiStore {
  /** Bumped on every `ticket:changed`: lists and panels re-read when it moves. */
  revision: number;
  /** The last changed ticket (drawers refresh when it is theirs). */
  lastChanged: Ticket | null;
  /** The new-ticket form: open with this prefill, or closed (null). */
  create: TicketPrefill | null;
  /** Customer names by id, for ticket lists (tickets carry only the id). */
  names: Record<number, string>;
  /** The ticket open in the ticket drawer. */
  openId: string | null;
  openTicket(id: string | null): void;
  /** Makes every list read again (after a (re)connection). */
  refresh(): void;
  openCreate(prefill?: TicketPrefill): void;
  closeCreate(): void;
  /** Looks up customer names not known yet. */
  ensureNames(ids: readonly (number | null)[]): void;
}

const pendingNames = new Set<number>();

/** The ticket store: one per app. */
export const useTicketStore = createApiStore<TicketStore>(
  (set, get, link) => ({
    revision: 0,
    lastChanged: null,
    create: null,
    names: {},
    openId: null,
    openTicket(id) {
      set({ openId: id });
    },
    refresh() {
      set((s) => ({ revision: s.revision + 1 }));
    },
    openCreate(prefill = {}) {
      set({ create: prefill });
    },
    closeCreate() {
      set({ create: null });
    },
    ensureNames(ids) {
      const api = link.api;
      if (!api) return;
      const known = get().names;
      for (const id of ids) {
        if (id === null || known[id] !== undefined || pendingNames.has(id)) continue;
        pendingNames.add(id);
        void api.customer.get({ id }).then((r) => {
          pendingNames.delete(id);
          if (r.ok) set((s) => ({ names: { ...s.names, [id]: r.value.name } }));
        });
      }
    },
  }),
  (api, set) => api.ticket.onChanged((ticket) => set((s) => ({ revision: s.revision + 1, lastChanged: ticket }))),
);
