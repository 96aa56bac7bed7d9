import { usePhoneStore } from '../../stores/phoneStore';

/**
 * Places a call through the phone store (`calldesk.call.dial`); a refusal shows in the phone
 * panel's error banner. Resolves to true when the call was started.
 */
export function dialTarget(target: string): Promise<boolean> {
  const to = target.trim();
  if (!to) return Promise.resolve(false);
  return usePhoneStore.getState().run((api) => api.call.dial({ target: to }));
}
