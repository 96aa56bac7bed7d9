import { assertNever } from '../../../shared/api/result';
import type { ScreenPopResult } from '../../../shared/customer/screenPop';
import { plainText } from '../../../shared/text/plainText';

/** Longest OS notification title (OSes cut or wrap more; a caller's name can be 2,000 characters). */
export const NOTIFICATION_TITLE_MAX = 64;
/** Longest OS notification body. */
export const NOTIFICATION_BODY_MAX = 200;

/**
 * What the OS notification says for a pop: data only (names, numbers), no UI words. Plain text
 * (no bidi or control characters: a caller chooses their display name) and bounded, with `…`.
 * Null when there is nothing to say (withheld caller).
 */
export function popNotification(result: ScreenPopResult): { title: string; body: string } | null {
  const note = (title: string, body: string) => ({ title: plainText(title, NOTIFICATION_TITLE_MAX), body: plainText(body, NOTIFICATION_BODY_MAX) });
  switch (result.kind) {
    case 'match':
      return note(result.customer.name, [result.customer.company, result.caller.display].filter((s) => s !== '').join(' · '));
    case 'multiple':
      return note(result.caller.display, result.candidates.map((c) => c.name).slice(0, 5).join(', '));
    case 'none':
      return note(result.caller.display || result.prefill.name, result.prefill.name);
    case 'withheld':
      return null;
    default:
      return assertNever(result, 'screen pop kind');
  }
}
