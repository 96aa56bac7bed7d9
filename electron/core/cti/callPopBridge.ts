import type { CallSnapshot } from '../../../shared/phone/call';
import { popSnapshotOf, type IncomingCallSnapshot } from '../../../shared/customer/screenPop';
import type { CoreBus } from '../bus/coreBus';
import type { Logger } from '../log/logger';
import { CallAnswered, CallEnded, CallRinging } from '../phone/callEvents';

/** What the bridge needs of the screen pop service. */
export interface ScreenPopTarget {
  onCallEvent(event: 'ring' | 'answer', snapshot: IncomingCallSnapshot): unknown;
  callEnded(callId: string): void;
}

/**
 * Connects calls to the screen pop: an inbound call that starts ringing pops on `ring`, its answer
 * pops on `answer` (the service decides which trigger is configured), its end closes the pop.
 * Outbound calls never pop. Listens to the phone's lifecycle events (each comes once per call).
 * Returns an unsubscribe.
 */
export function connectCallsToScreenPop(bus: CoreBus, pop: ScreenPopTarget, logger: Logger): () => void {
  const guard = (call: CallSnapshot, fn: () => void) => {
    if (call.direction !== 'inbound') return;
    try {
      fn();
    } catch (err) {
      logger.warn('screen pop failed', { callId: call.id, error: err as Error });
    }
  };
  const offs = [
    bus.on(CallRinging, ({ call }) => guard(call, () => pop.onCallEvent('ring', popSnapshotOf(call)))),
    bus.on(CallAnswered, ({ call }) => guard(call, () => pop.onCallEvent('answer', popSnapshotOf(call)))),
    bus.on(CallEnded, ({ call }) => guard(call, () => pop.callEnded(call.id))),
  ];
  return () => offs.forEach((off) => off());
}
