import { useEffect, useState } from 'react';
import type { CallSnapshot } from '../../../shared/phone/call';
import { useCustomerStore } from '../../stores/customerStore';

/** Customer names looked up by number (null: none or several customers), shared by every list. */
const byNumber = new Map<string, string | null>();
const MAX_REMEMBERED = 500;

/**
 * The customer's name for each call, by call id: the customer of its screen pop (matched or chosen
 * by the agent), else the one customer with that number. Calls without a known customer are absent.
 */
export function useCallerNames(calls: readonly CallSnapshot[]): Record<string, string> {
  const pops = useCustomerStore((s) => s.pops);
  const lookup = useCustomerStore((s) => s.call);
  const [, setLookedUp] = useState(0);
  const numbers = [...new Set(calls.filter((c) => c.remote.number && !popName(pops, c.id)).map((c) => c.remote.number))];
  const missing = numbers.filter((n) => !byNumber.has(n)).join('\n');
  useEffect(() => {
    if (!missing) return;
    let live = true;
    void Promise.all(
      missing.split('\n').map(async (number) => {
        const r = await lookup((api) => api.customer.lookupCaller({ number }));
        if (byNumber.size >= MAX_REMEMBERED) byNumber.clear();
        byNumber.set(number, r.ok && r.value.matches.length === 1 ? r.value.matches[0]!.name : null);
      }),
    ).then(() => live && setLookedUp((n) => n + 1));
    return () => {
      live = false;
    };
  }, [missing, lookup]);
  const names: Record<string, string> = {};
  for (const c of calls) {
    const name = popName(pops, c.id) ?? byNumber.get(c.remote.number) ?? null;
    if (name) names[c.id] = name;
  }
  return names;
}

/** Forgets the names looked up by number (a customer was saved or renamed; tests). */
export function forgetCallerNames(): void {
  byNumber.clear();
}

function popName(pops: ReturnType<typeof useCustomerStore.getState>['pops'], callId: string): string | null {
  const result = pops[callId]?.result;
  return result?.kind === 'match' ? result.customer.name : null;
}
