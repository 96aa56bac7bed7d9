import {
  customerInsight,
  incomingCallSnapshotSchema,
  type HeaderMapping,
  type IncomingCallSnapshot,
  type PopCaller,
  type PopHeader,
  type ScreenPopResult,
  type ScreenPopTrigger,
} from '../../../shared/customer/screenPop';
import type { Customer, CustomerSummary } from '../../../shared/customer/schema';
import { assertNever } from '../../../shared/api/result';
import type { CallerId } from '../../../shared/phone-number/callerId';
import { normalizePhoneNumber } from '../../../shared/phone-number/normalize';
import type { Clock } from '../adapters';
import type { Logger } from '../log/logger';
import type { CustomerService } from './customerService';

/** What the screen pop reads from settings, each time. */
export interface ScreenPopConfig {
  trigger(): ScreenPopTrigger;
  headerMappings(): readonly HeaderMapping[];
  dormantDays(): number;
  /** Minutes east of UTC of the agent's time zone at `now` (birthday "today"). */
  utcOffsetMinutes(now: number): number;
}

/** The agent's local time zone offset, as the OS reports it. */
export function systemUtcOffsetMinutes(now: number): number {
  return -new Date(now).getTimezoneOffset();
}

/** Call events the phone layer reports. */
export type CallPopEvent = 'ring' | 'answer';

const MAX_TRACKED_CALLS = 500;

/** The caller as the card shows it. */
export function popCaller(caller: CallerId, defaultRegion: string): PopCaller {
  switch (caller.kind) {
    case 'number':
      return {
        kind: 'number',
        e164: caller.number.e164,
        display: caller.number.region === defaultRegion ? caller.number.national : caller.number.international,
        displayName: caller.displayName,
      };
    case 'withheld':
      return { kind: 'withheld', e164: null, display: '', displayName: caller.displayName };
    case 'unrecognised':
      return { kind: 'unrecognised', e164: null, display: caller.user, displayName: caller.displayName };
    default:
      return assertNever(caller, 'caller kind');
  }
}

/**
 * Screen pop: from an incoming call (caller headers and mapped SIP headers) to what the agent sees.
 * Mapped `customer-code` headers (`X-Account`) win, then mapped `phone` headers, then the caller's
 * own number (P-Asserted-Identity over From). One match -> the card with insight (last contact,
 * dormant, birthday); several -> a chooser, most recently contacted first; none -> a quick-create
 * prefill; withheld -> search. Pops once per call, on ring or on answer as configured, or when the
 * agent asks. Lookups are indexed and bounded (well under a millisecond on 1M customers).
 */
export class ScreenPopService {
  private readonly popped = new Set<string>();
  private readonly listeners = new Set<(result: ScreenPopResult) => void>();

  constructor(
    private readonly customers: CustomerService,
    private readonly clock: Clock,
    private readonly config: ScreenPopConfig,
    private readonly logger: Logger,
  ) {}

  /** Subscribes to pops (the core forwards them to the UI and the OS notifier). Returns an unsubscribe. */
  onPop(listener: (result: ScreenPopResult) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * A call event from the phone layer. Pops (and returns the result) when the configured trigger
   * says so and this call has not popped yet: `ring` pops on ringing (or on answer if ringing was
   * missed), `answer` on answer, `manual` never by itself. Otherwise returns null.
   */
  onCallEvent(event: CallPopEvent, snapshot: IncomingCallSnapshot): ScreenPopResult | null {
    const trigger = this.config.trigger();
    const due = trigger === 'ring' ? true : trigger === 'answer' ? event === 'answer' : false;
    const parsed = incomingCallSnapshotSchema.parse(snapshot);
    if (!due || this.popped.has(parsed.callId)) return null;
    return this.pop(parsed, event);
  }

  /** The agent asked for the card of a call (any trigger setting). Always pops. */
  popManually(snapshot: IncomingCallSnapshot): ScreenPopResult {
    return this.pop(incomingCallSnapshotSchema.parse(snapshot), 'manual');
  }

  /**
   * The agent chose the customer of a call's pop (from several, by search, or just created): the pop
   * becomes that customer's card and goes out again to every listener (the workflow then logs the
   * call, its wrap-up and callbacks against that customer). NOT_FOUND for an unknown customer.
   */
  choose(req: { callId: string; customerId: number; caller: PopCaller; headers: PopHeader[] }): ScreenPopResult {
    const customer = this.customers.get(req.customerId);
    const result: ScreenPopResult = {
      callId: req.callId,
      trigger: 'manual',
      caller: req.caller,
      headers: req.headers,
      kind: 'match',
      matchedBy: 'phone',
      customer,
      insight: this.insight(customer),
    };
    this.logger.info('screen pop: customer chosen', { callId: req.callId, customerId: customer.id });
    this.emit(result);
    return result;
  }

  /** Forgets a call (it ended), so a later call reusing the id pops again. */
  callEnded(callId: string): void {
    this.popped.delete(callId);
  }

  /** Computes the pop for a call without emitting it or marking it popped. */
  lookup(snapshot: IncomingCallSnapshot, trigger: ScreenPopTrigger = 'manual'): ScreenPopResult {
    const call = incomingCallSnapshotSchema.parse(snapshot);
    const options = this.customers.phoneOptions();
    const headerValues = new Map<string, string>();
    for (const [name, value] of Object.entries(call.headers)) {
      const first = Array.isArray(value) ? value[0] : value;
      if (typeof first === 'string' && first.trim() !== '') headerValues.set(name.toLowerCase(), first.trim());
    }
    const mappings = this.config.headerMappings();
    const shown: PopHeader[] = [];
    for (const m of mappings) {
      const value = headerValues.get(m.header.toLowerCase());
      if (value !== undefined) shown.push({ header: m.header, label: m.label, value: value.slice(0, 200) });
    }

    // A call's own parsed identity when it has one (never parsed again here), else the raw headers.
    const callerId = this.customers.lookupCaller({ caller: call.caller ?? null, pAssertedIdentity: call.pAssertedIdentity, from: call.from, privacy: call.privacy, number: call.number, displayName: call.displayName });
    const caller = popCaller(callerId.caller, options.defaultRegion);
    const base = { callId: call.callId, trigger, caller, headers: shown };

    for (const m of mappings) {
      const value = headerValues.get(m.header.toLowerCase());
      if (value === undefined) continue;
      if (m.use === 'customer-code') {
        const customer = this.customers.findByCode(value.slice(0, 40));
        if (customer) return { ...base, kind: 'match', matchedBy: 'header', customer, insight: this.insight(customer) };
      } else if (m.use === 'phone') {
        const n = normalizePhoneNumber(value, options);
        if (n.kind === 'number') {
          const found = this.customers.repository.findByE164(n.e164);
          const answer = this.fromMatches(found, base, 'header');
          if (answer) return answer;
        }
      }
    }

    switch (callerId.caller.kind) {
      case 'withheld':
        return { ...base, kind: 'withheld' };
      case 'unrecognised':
        return { ...base, kind: 'none', prefill: { name: callerId.caller.displayName ?? '', phone: null } };
      case 'number': {
        const answer = this.fromMatches(callerId.matches, base, 'phone');
        if (answer) return answer;
        return { ...base, kind: 'none', prefill: { name: callerId.caller.displayName ?? '', phone: caller.display } };
      }
      default:
        return assertNever(callerId.caller, 'caller kind');
    }
  }

  private fromMatches(
    matches: CustomerSummary[],
    base: { callId: string; trigger: ScreenPopTrigger; caller: PopCaller; headers: PopHeader[] },
    matchedBy: 'header' | 'phone',
  ): ScreenPopResult | null {
    if (matches.length === 0) return null;
    if (matches.length === 1) {
      const customer = this.customers.get((matches[0] as CustomerSummary).id);
      return { ...base, kind: 'match', matchedBy, customer, insight: this.insight(customer) };
    }
    return { ...base, kind: 'multiple', matchedBy, candidates: matches };
  }

  private insight(customer: Customer) {
    const now = this.clock.now();
    return customerInsight(customer, now, { dormantDays: this.config.dormantDays(), utcOffsetMinutes: this.config.utcOffsetMinutes(now) });
  }

  private pop(call: IncomingCallSnapshot & { callId: string }, trigger: ScreenPopTrigger): ScreenPopResult {
    const started = this.clock.now();
    const result = this.lookup(call, trigger);
    if (this.popped.size >= MAX_TRACKED_CALLS) this.popped.clear();
    this.popped.add(call.callId);
    this.logger.info('screen pop', { callId: call.callId, kind: result.kind, trigger, ms: this.clock.now() - started });
    this.emit(result);
    return result;
  }

  private emit(result: ScreenPopResult): void {
    for (const listener of this.listeners) {
      try {
        listener(result);
      } catch (err) {
        this.logger.error('screen pop listener failed', { error: err as Error });
      }
    }
  }
}
