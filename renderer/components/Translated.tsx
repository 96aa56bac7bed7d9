import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';

/**
 * Text that follows the UI language while it is on screen. Toasts and notifications outlive the
 * render that opened them: a string translated at that moment would stay in the old language after
 * a switch (the "Saved" toast of the language setting itself). Pass `text`, which is called again
 * on every language change.
 */
export function Translated({ text }: { text: (t: TFunction) => string }) {
  const { t } = useTranslation();
  return <>{text(t)}</>;
}
