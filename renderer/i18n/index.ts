import i18next, { type i18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en';
import { errorsEn, errorsZh } from './errors';
import { zhCN } from './zh-CN';

const LANGUAGES = ['en', 'zh-CN'] as const;
export type Language = (typeof LANGUAGES)[number];
const STORAGE_KEY = 'alicloud-signin.language';

/** The saved choice, else the first OS language we have (any Chinese reads zh-CN), else English. */
export function pickLanguage(preferred: readonly string[], saved: string | null | undefined): Language {
  if (saved === 'en' || saved === 'zh-CN') return saved;
  for (const tag of preferred) {
    const lower = tag.toLowerCase();
    if (lower.startsWith('zh')) return 'zh-CN';
    if (lower.startsWith('en')) return 'en';
  }
  return 'en';
}

export function savedLanguage(): string | null {
  try {
    return globalThis.localStorage?.getItem(STORAGE_KEY) ?? null;
  } catch {
    return null;
  }
}

export function saveLanguage(language: Language): void {
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, language);
  } catch {
    // Not saved: the OS language applies next time.
  }
}

/** A ready i18next instance (resources are bundled, so it initialises synchronously). */
export function createI18n(language: Language): i18n {
  const instance = i18next.createInstance();
  void instance.use(initReactI18next).init({
    lng: language,
    fallbackLng: 'en',
    supportedLngs: [...LANGUAGES],
    resources: {
      en: { translation: { ...en, errors: errorsEn } },
      'zh-CN': { translation: { ...zhCN, errors: errorsZh } },
    },
    interpolation: { escapeValue: false },
    initAsync: false,
    returnNull: false,
  });
  return instance;
}
