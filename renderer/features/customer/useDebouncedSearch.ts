import { useEffect, useRef, useState } from 'react';
import type { ApiError } from '../../../shared/api/result';
import type { CustomerSummary } from '../../../shared/customer/schema';
import { SEARCH_DEBOUNCE_MS, useCustomerStore } from '../../stores/customerStore';

/**
 * Type-ahead over `customer:search` for a small box (the pop's search): one request
 * {@link SEARCH_DEBOUNCE_MS} after the last key stroke, answers to older queries dropped.
 */
export function useDebouncedSearch(query: string, limit = 8): { items: CustomerSummary[]; loading: boolean; error: ApiError | null } {
  const searchOnce = useCustomerStore((s) => s.searchOnce);
  const [state, setState] = useState<{ items: CustomerSummary[]; loading: boolean; error: ApiError | null }>({ items: [], loading: false, error: null });
  const seq = useRef(0);
  useEffect(() => {
    const q = query.trim();
    const mine = ++seq.current;
    if (!q) {
      setState({ items: [], loading: false, error: null });
      return;
    }
    setState((s) => ({ ...s, loading: true }));
    const timer = setTimeout(() => {
      void searchOnce({ query: q, limit }).then((r) => {
        if (mine !== seq.current) return;
        setState(r.ok ? { items: r.value.items, loading: false, error: null } : { items: [], loading: false, error: r.error });
      });
    }, SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [query, limit, searchOnce]);
  return state;
}
