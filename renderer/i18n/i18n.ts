import i18next, { type i18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { RESOURCES, resolveLanguage } from '../../shared/i18n';
import type { Language } from '../../shared/settings/definitions';

/** Creates the renderer's i18next instance with both languages loaded (no network). */
export function createI18n(language: Language = 'en-US'): i18n {
  const instance = i18next.createInstance();
  void instance.use(initReactI18next).init({
    lng: language,
    fallbackLng: false,
    resources: Object.fromEntries(Object.entries(RESOURCES).map(([lng, messages]) => [lng, { translation: messages }])),
    interpolation: { escapeValue: false },
    returnNull: false,
    initAsync: false,
  });
  return instance;
}

/** Switches the UI language at run time from the `ui.language` setting and the OS locale. */
export function applyLanguage(instance: i18n, choice: string, osLocale: string): Language {
  const lng = resolveLanguage(choice, osLocale);
  if (instance.language !== lng) void instance.changeLanguage(lng);
  if (typeof document !== 'undefined') document.documentElement.lang = lng;
  return lng;
}
