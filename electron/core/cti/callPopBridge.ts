import type { PhoneState } from '../../../shared/phone/call';
import { popSnapshotOf, type IncomingCallSnapshot } from '../../../shared/customer/screenPop';
import type { CoreEvents } from '../events';
import type { Logger } from '../log/logger';

/** What the bridge needs of the screen pop service. */
export interface ScreenPopTarget {
  onCallEvent(event: 'ring' | 'answer', snapshot: IncomingCallSnapshot): unknown;
  callEnded(callId: string): void;
}


/**
 * Connects calls to the screen pop: an inbound call that starts ringing pops on `ring`, its answer
 * pops on `answer` (the service decides which trigger is configured), its end closes the pop.
 * Outbound calls never pop. Returns an unsubscribe.
 */
export function connectCallsToScreenPop(events: CoreEvents, pop: ScreenPopTarget, logger: Logger): () => void {
  const seen = new Map<string, 'ringing' | 'answered' | 'ended'>();
  return events.on('phone:state', (phone: PhoneState) => {
    for (const call of phone.calls) {
      if (call.direction !== 'inbound') continue;
      const was = seen.get(call.id);
      try {
        if (!was && call.state === 'ringing') {
          seen.set(call.id, 'ringing');
          pop.onCallEvent('ring', popSnapshotOf(call));
        } else if ((was === undefined || was === 'ringing') && (call.state === 'active' || call.state === 'held')) {
          seen.set(call.id, 'answered');
          pop.onCallEvent('answer', popSnapshotOf(call));
        } else if (was && was !== 'ended' && call.state === 'ended') {
          seen.set(call.id, 'ended');
          pop.callEnded(call.id);
        }
      } catch (err) {
        logger.warn('screen pop failed', { callId: call.id, error: err as Error });
      }
    }
    const live = new Set(phone.calls.map((c) => c.id));
    for (const id of seen.keys()) if (!live.has(id)) seen.delete(id);
  });
}
