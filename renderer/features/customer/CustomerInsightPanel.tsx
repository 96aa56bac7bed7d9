import { useEffect, useState } from 'react';
import type { CustomerInsight } from '../../../shared/insight/record';
import { useCustomerStore } from '../../stores/customerStore';
import { InsightStrip } from './InsightStrip';

/** The agent's clock offset (minutes east of UTC). */
function localOffset(): number {
  return -new Date().getTimezoneOffset();
}

/**
 * A customer's insight as last synced from the central server (`insight:get`, works offline), from
 * {@link useCustomerInsight}. Shown on the pop card and the customer record.
 */
export function CustomerInsightPanel({ insight }: { insight: CustomerInsight | null | undefined }) {
  if (insight === undefined) return null;
  return <InsightStrip insight={insight} now={Date.now()} utcOffsetMinutes={localOffset()} />;
}

/** The customer's synced insight: undefined while it loads, null when the server computed none. */
export function useCustomerInsight(customerId: number): CustomerInsight | null | undefined {
  const call = useCustomerStore((s) => s.call);
  const [insight, setInsight] = useState<CustomerInsight | null | undefined>(undefined);
  useEffect(() => {
    let live = true;
    void call((api) => api.insight.get({ customerId })).then((r) => {
      if (live) setInsight(r.ok ? r.value.insight : null);
    });
    return () => {
      live = false;
    };
  }, [call, customerId]);
  return insight;
}
