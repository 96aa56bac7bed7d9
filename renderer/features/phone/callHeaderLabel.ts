import type { TFunction } from 'i18next';
import type { HeaderMapping } from '../../../shared/customer/screenPop';

/** Labels of mapped headers that have a translation (`customers.headerLabel.<label>`). */
const TRANSLATED = ['account', 'queue', 'ivr'];

/**
 * What a SIP header of a call is called on screen: the label of its screen pop mapping (translated
 * for the built-in ones: "Queue", "队列"), else its name without `X-`. Values (queue names) are data
 * and stay as sent.
 */
export function callHeaderLabel(t: TFunction, header: string, mappings: readonly HeaderMapping[]): string {
  const mapping = mappings.find((m) => m.header.toLowerCase() === header.toLowerCase());
  if (!mapping) return header.replace(/^X-/i, '');
  return TRANSLATED.includes(mapping.label) ? t(`customers.headerLabel.${mapping.label}`) : mapping.label;
}
