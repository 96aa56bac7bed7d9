import { create } from 'zustand';
import type { CalldeskApi } from '../../shared/api/client';
import type { ApiError, Result } from '../../shared/api/result';
import type { CallSnapshot, PhoneState } from '../../shared/phone/call';
import type { QualitySample } from '../../shared/phone/quality';

/** Mirror of the core's phone state plus live call quality measured in this renderer. */
export interface PhoneStore {
  phone: PhoneState | null;
  quality: Record<string, QualitySample>;
  lastError: ApiError | null;
  attach(api: CalldeskApi): () => void;
  setQuality(callId: string, sample: QualitySample): void;
  /** Runs a phone action; keeps the error for the UI when it is refused. */
  run(action: (api: CalldeskApi) => Promise<Result<unknown>>): Promise<boolean>;
  clearError(): void;
}

let apiRef: CalldeskApi | null = null;

/** The phone store. */
export const usePhoneStore = create<PhoneStore>((set) => ({
  phone: null,
  quality: {},
  lastError: null,
  attach(api) {
    apiRef = api;
    void api.phone.state().then((r) => r.ok && set({ phone: r.value }));
    return api.phone.onState((phone) =>
      set((s) => {
        const live = new Set(phone.calls.filter((c) => c.state !== 'ended').map((c) => c.id));
        const quality = Object.fromEntries(Object.entries(s.quality).filter(([id]) => live.has(id)));
        return { phone, quality };
      }),
    );
  },
  setQuality(callId, sample) {
    set((s) => ({ quality: { ...s.quality, [callId]: sample } }));
  },
  async run(action) {
    if (!apiRef) return false;
    const r = await action(apiRef);
    if (!r.ok) set({ lastError: r.error });
    return r.ok;
  },
  clearError() {
    set({ lastError: null });
  },
}));

/** Calls that are not over, newest first. */
export function liveCalls(phone: PhoneState | null): CallSnapshot[] {
  return (phone?.calls ?? []).filter((c) => c.state !== 'ended').sort((a, b) => b.times.created - a.times.created);
}

/** The inbound calls ringing right now. */
export function ringingInbound(phone: PhoneState | null): CallSnapshot[] {
  return liveCalls(phone).filter((c) => c.direction === 'inbound' && c.state === 'ringing');
}
