import type { ScreenPopResult } from '../../../shared/customer/screenPop';
import type { CallSnapshot } from '../../../shared/phone/call';
import type { CoreEvents } from '../events';

/** Calls remembered (a call is looked up when it ends; older entries are long finished). */
const MAX_CALLS_KEPT = 200;

/**
 * The one owner of "which customer is this call with" in the core: the screen pop's answer for
 * the call (a match, or the customer the agent chose), else a lookup of the caller's number. The
 * call log, wrap-up and the CTI API all read it here. A later pop that is not a match (a manual
 * re-pop with several candidates) does not undo an earlier match.
 */
export class CallCustomers {
  private readonly pops = new Map<string, ScreenPopResult>();
  private readonly off: () => void;

  constructor(
    events: CoreEvents,
    /** Finds the single customer with this number (outbound calls, calls without a pop), or null. */
    private readonly lookup: (number: string) => number | null = () => null,
  ) {
    this.off = events.on('customer:pop', (pop) => this.record(pop));
  }

  /** The pop that decided the call's customer, if the call popped. */
  pop(callId: string): ScreenPopResult | undefined {
    return this.pops.get(callId);
  }

  /** The customer id of a call: its pop's match, null when it popped without one, else a number lookup. */
  customerId(call: CallSnapshot): number | null {
    const pop = this.pops.get(call.id);
    if (pop) return pop.kind === 'match' ? pop.customer.id : null;
    return call.remote.number ? this.lookup(call.remote.number) : null;
  }

  close(): void {
    this.off();
  }

  private record(pop: ScreenPopResult): void {
    const had = this.pops.get(pop.callId);
    if (had?.kind === 'match' && pop.kind !== 'match') return;
    this.pops.delete(pop.callId);
    this.pops.set(pop.callId, pop);
    for (const id of this.pops.keys()) {
      if (this.pops.size <= MAX_CALLS_KEPT) break;
      this.pops.delete(id);
    }
  }
}
