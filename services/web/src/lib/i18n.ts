import i18n from 'i18next';
import { initReactI18next, useTranslation } from 'react-i18next';
import { DOMAIN_LABELS, type DisplayLocale, type DomainLabels } from '@tower/domain';
import { en } from '../locales/en';
import { zhCN } from '../locales/zh-CN';

const LANGUAGE_KEY = 'tower.language';

export function storedLanguage(): DisplayLocale {
  return localStorage.getItem(LANGUAGE_KEY) === 'en' ? 'en' : 'zh-CN';
}

void i18n.use(initReactI18next).init({
  resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } },
  lng: storedLanguage(),
  fallbackLng: 'zh-CN',
  interpolation: { escapeValue: false },
});

export function setLanguage(language: DisplayLocale): void {
  localStorage.setItem(LANGUAGE_KEY, language);
  document.documentElement.lang = language;
  void i18n.changeLanguage(language);
}

/** The current display language and the domain's labels in it (one table, in @tower/domain). */
export function useLocale(): { locale: DisplayLocale; labels: DomainLabels } {
  const { i18n: instance } = useTranslation();
  const locale: DisplayLocale = instance.language === 'en' ? 'en' : 'zh-CN';
  return { locale, labels: DOMAIN_LABELS[locale] };
}

/** A label from one of the domain's tables, or the id itself when the table does not know it. */
export function labelOf(table: Record<string, string>, id: string | null | undefined): string {
  if (!id) return '—';
  return table[id] ?? id;
}

export { i18n };
