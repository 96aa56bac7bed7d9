import type { CalldeskApi } from '../../shared/api/client';
import type { ApiError, Result } from '../../shared/api/result';
import { DEFAULT_DORMANT_DAYS } from '../../shared/customer/helpers';
import { customerInsight, popSnapshotOf, type PopInsight, type ScreenPopResult } from '../../shared/customer/screenPop';
import {
  SEARCH_MATCH_CAP,
  SEARCH_QUERY_MAX,
  type Customer,
  type CustomerFilters,
  type CustomerSaveInput,
  type CustomerSearchInput,
  type CustomerSearchResult,
  type CustomerSummary,
} from '../../shared/customer/schema';
import type { CallSnapshot } from '../../shared/phone/call';
import { createApiStore, DISCONNECTED, type ApiStore } from './createApiStore';

/** Delay between the last key stroke in a search box and the search it fires. */
export const SEARCH_DEBOUNCE_MS = 250;
/** Rows fetched per search page (the contract allows up to 200). */
export const SEARCH_PAGE_SIZE = 100;
/** Pops kept in memory; older ones are forgotten. */
const MAX_POPS = 20;

/** One screen pop as the UI keeps it: the core's result, possibly resolved by the agent. */
export interface PopEntry {
  result: ScreenPopResult;
  receivedAt: number;
  /** The agent closed it. */
  dismissed: boolean;
}

/** The state of the customer search page. */
export interface SearchState {
  query: string;
  filters: CustomerFilters;
  items: CustomerSummary[];
  total: number;
  capped: boolean;
  loading: boolean;
  error: ApiError | null;
  /** The text of the search whose answer (results or error) is shown. */
  answeredQuery: string | null;
  /** Searches sent to the core (for the debounce test and diagnostics). */
  requests: number;
}

/** Mirror of the core's screen pops, the open customer record and the search page. */
export interface CustomerStore extends ApiStore {
  /** Pops by call id. */
  pops: Record<string, PopEntry>;
  /** Call ids of pops, newest first. */
  popOrder: string[];
  /** The pop the agent looks at; null: the newest one. */
  selectedPop: string | null;
  /** The customer record open in the record drawer. */
  openCustomerId: number | 'new' | null;
  search: SearchState;
  /** Takes one pop (from the core or a test). */
  receivePop(result: ScreenPopResult): void;
  dismissPop(callId: string): void;
  selectPop(callId: string | null): void;
  /**
   * Turns a chooser, quick-create or search pop into the card of the chosen or created customer, and
   * tells the core (`customer:pop-choose`) so the call log, wrap-up and callbacks carry that customer.
   */
  resolvePop(callId: string, customer: Customer, dormantDays: number): void;
  /** Shows the customer's current facts (last contact) on every pop of theirs (after a contact is logged). */
  refreshPopCustomer(customerId: number): Promise<void>;
  /** Opens a customer record, or the empty form of a new customer (`'new'`); null closes it. */
  openCustomer(id: number | 'new' | null): void;
  /** Asks the core for the pop of a call (screen pop set to "manual", or a pop the agent closed). */
  requestPop(call: CallSnapshot): Promise<Result<ScreenPopResult>>;
  /** Sets the search text; the search runs {@link SEARCH_DEBOUNCE_MS} after the last change. */
  setQuery(query: string): void;
  /** Sets the filters; the search runs at once. */
  setFilters(filters: CustomerFilters): void;
  /** Runs the search now (first page). */
  runSearch(): Promise<void>;
  /** Fetches the next page of the current search. */
  loadMore(): Promise<void>;
  /** A one-off search (pop search box); does not touch the search page. */
  searchOnce(input: CustomerSearchInput): Promise<Result<CustomerSearchResult>>;
  get(id: number): Promise<Result<Customer>>;
  save(input: CustomerSaveInput): Promise<Result<Customer>>;
  /** Subscribes to an event of the attached API (import progress); returns the unsubscribe. */
  listen(attach: (api: CalldeskApi) => () => void): () => void;
}

let debounce: ReturnType<typeof setTimeout> | null = null;
let searchSeq = 0;

const emptySearch = (): SearchState => ({ query: '', filters: {}, items: [], total: 0, capped: false, loading: false, error: null, answeredQuery: null, requests: 0 });

/** The card facts of a customer computed in the renderer (when the agent picks or creates one). */
export function insightOf(customer: Customer, now: number, dormantDays: number = DEFAULT_DORMANT_DAYS): PopInsight {
  return customerInsight(customer, now, { dormantDays, utcOffsetMinutes: -new Date(now).getTimezoneOffset() });
}

/** Pops from `customer:pop`; a logged contact refreshes the facts on its customer's pops. */
function subscribeCustomerEvents(api: CalldeskApi, _set: unknown, get: () => CustomerStore): () => void {
  const offPop = api.customer.onPop((result) => get().receivePop(result));
  const offLogged = api.interaction.onLogged((entry) => {
    if (entry.customerId !== null) void get().refreshPopCustomer(entry.customerId);
  });
  return () => {
    offPop();
    offLogged();
  };
}

/** The customer store: one per app. */
export const useCustomerStore = createApiStore<CustomerStore>((set, get, link) => {
  const fetchPage = async (offset: number) => {
    const { query, filters } = get().search;
    const seq = ++searchSeq;
    set((s) => ({ search: { ...s.search, loading: true, requests: s.search.requests + 1 } }));
    const r = link.api ? await link.api.customer.search({ query, filters, limit: SEARCH_PAGE_SIZE, offset }) : DISCONNECTED;
    if (seq !== searchSeq) return;
    set((s) => {
      // A failed search leaves no results of an earlier search under its message.
      if (!r.ok) return { search: { ...s.search, loading: false, error: r.error, items: [], total: 0, capped: false, answeredQuery: query } };
      const items = offset === 0 ? r.value.items : [...s.search.items, ...r.value.items];
      return { search: { ...s.search, loading: false, error: null, items, total: r.value.total, capped: r.value.capped, answeredQuery: query } };
    });
  };
  return {
    pops: {},
    popOrder: [],
    selectedPop: null,
    openCustomerId: null,
    search: emptySearch(),
    receivePop(result) {
      set((s) => {
        const order = [result.callId, ...s.popOrder.filter((id) => id !== result.callId)].slice(0, MAX_POPS);
        const pops: Record<string, PopEntry> = {};
        for (const id of order) pops[id] = id === result.callId ? { result, receivedAt: Date.now(), dismissed: false } : s.pops[id]!;
        return { pops, popOrder: order, selectedPop: null };
      });
    },
    dismissPop(callId) {
      set((s) => {
        const entry = s.pops[callId];
        if (!entry) return s;
        return { pops: { ...s.pops, [callId]: { ...entry, dismissed: true } }, selectedPop: s.selectedPop === callId ? null : s.selectedPop };
      });
    },
    selectPop(callId) {
      set({ selectedPop: callId });
    },
    resolvePop(callId, customer, dormantDays) {
      set((s) => {
        const entry = s.pops[callId];
        if (!entry) return s;
        const { callId: id, trigger, caller, headers } = entry.result;
        const result: ScreenPopResult = {
          callId: id,
          trigger,
          caller,
          headers,
          kind: 'match',
          matchedBy: 'phone',
          customer,
          insight: insightOf(customer, Date.now(), dormantDays),
        };
        return { pops: { ...s.pops, [callId]: { ...entry, result } } };
      });
      const entry = get().pops[callId];
      if (link.api && entry) {
        const { caller, headers } = entry.result;
        void link.api.customer.popChoose({ callId, customerId: customer.id, caller, headers });
      }
    },
    async refreshPopCustomer(customerId) {
      const shown = Object.values(get().pops).some((p) => p.result.kind === 'match' && p.result.customer.id === customerId);
      if (!shown || !link.api) return;
      const r = await link.api.customer.get({ id: customerId });
      if (!r.ok) return;
      set((s) => {
        const pops = { ...s.pops };
        for (const [id, p] of Object.entries(s.pops)) {
          if (p.result.kind !== 'match' || p.result.customer.id !== customerId) continue;
          pops[id] = { ...p, result: { ...p.result, customer: r.value, insight: insightOf(r.value, Date.now()) } };
        }
        return { pops };
      });
    },
    openCustomer(id) {
      set({ openCustomerId: id });
    },
    async requestPop(call) {
      if (!link.api) return DISCONNECTED;
      const r = await link.api.customer.screenPop(popSnapshotOf(call));
      if (r.ok) get().receivePop(r.value);
      return r;
    },
    setQuery(query) {
      set((s) => ({ search: { ...s.search, query: query.slice(0, SEARCH_QUERY_MAX) } }));
      if (debounce) clearTimeout(debounce);
      debounce = setTimeout(() => {
        debounce = null;
        void fetchPage(0);
      }, SEARCH_DEBOUNCE_MS);
    },
    setFilters(filters) {
      set((s) => ({ search: { ...s.search, filters } }));
      if (debounce) clearTimeout(debounce);
      debounce = null;
      void fetchPage(0);
    },
    runSearch() {
      if (debounce) clearTimeout(debounce);
      debounce = null;
      return fetchPage(0);
    },
    async loadMore() {
      const { items, total, loading } = get().search;
      if (loading || items.length >= total || items.length >= SEARCH_MATCH_CAP) return;
      await fetchPage(items.length);
    },
    searchOnce(input) {
      return link.call((api) => api.customer.search(input));
    },
    get(id) {
      return link.call((api) => api.customer.get({ id }));
    },
    save(input) {
      return link.call((api) => api.customer.save(input));
    },
    listen(attach) {
      return link.api ? attach(link.api) : () => undefined;
    },
  };
}, subscribeCustomerEvents);

/**
 * The pops the agent should see, newest first: those of calls still live, plus the newest pop even
 * when its call is over (a quick-create form or the card must survive the caller hanging up, for
 * the wrap-up). Pops the agent closed are hidden.
 */
export function visiblePops(pops: Record<string, PopEntry>, order: string[], isLive: (callId: string) => boolean): PopEntry[] {
  return order
    .filter((id, i) => i === 0 || isLive(id))
    .map((id) => pops[id])
    .filter((p): p is PopEntry => !!p && !p.dismissed);
}
