import type { CalldeskApi } from '../../shared/api/client';
import type { ApiError, Result } from '../../shared/api/result';
import type { CallSnapshot, PhoneState } from '../../shared/phone/call';
import type { QualitySample } from '../../shared/phone/quality';
import { createApiStore, type ApiStore } from './createApiStore';

/** Mirror of the core's phone state plus live call quality measured in this renderer. */
export interface PhoneStore extends ApiStore {
  phone: PhoneState | null;
  quality: Record<string, QualitySample>;
  lastError: ApiError | null;
  /** The call whose transfer box is open (one at a time), or null. */
  transferFor: string | null;
  /** Opens the transfer box of a call (Alt+T, the Transfer button); null closes it. */
  openTransfer(callId: string | null): void;
  setQuality(callId: string, sample: QualitySample): void;
  /** Runs a phone action; keeps the error for the UI when it is refused. */
  run(action: (api: CalldeskApi) => Promise<Result<unknown>>): Promise<boolean>;
  clearError(): void;
}

/** The phone store. Attaching reads the phone state and subscribes to `phone:state`. */
export const usePhoneStore = createApiStore<PhoneStore>(
  (set, _get, link) => ({
    phone: null,
    quality: {},
    lastError: null,
    transferFor: null,
    openTransfer(callId) {
      set({ transferFor: callId });
    },
    setQuality(callId, sample) {
      set((s) => ({ quality: { ...s.quality, [callId]: sample } }));
    },
    async run(action) {
      if (!link.api) return false;
      const r = await action(link.api);
      if (!r.ok) set({ lastError: r.error });
      return r.ok;
    },
    clearError() {
      set({ lastError: null });
    },
  }),
  (api, set) => {
    void api.phone.state().then((r) => r.ok && set({ phone: r.value }));
    return api.phone.onState((phone) =>
      set((s) => {
        const live = new Set(phone.calls.filter((c) => c.state !== 'ended').map((c) => c.id));
        const quality = Object.fromEntries(Object.entries(s.quality).filter(([id]) => live.has(id)));
        const transferFor = s.transferFor !== null && live.has(s.transferFor) ? s.transferFor : null;
        return { phone, quality, transferFor };
      }),
    );
  },
);

/** Calls that are not over, newest first. */
export function liveCalls(phone: PhoneState | null): CallSnapshot[] {
  return (phone?.calls ?? []).filter((c) => c.state !== 'ended').sort((a, b) => b.times.created - a.times.created);
}

/** The inbound calls ringing right now. */
export function ringingInbound(phone: PhoneState | null): CallSnapshot[] {
  return liveCalls(phone).filter((c) => c.direction === 'inbound' && c.state === 'ringing');
}
