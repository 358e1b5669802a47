import type { DisplayLocale } from '@tower/domain';

/**
 * A launch checklist item's title in the person's language: the template's Chinese title in zh-CN (the
 * default template has one for every item), the English title otherwise or when an admin's item has none.
 */
export function launchItemTitle(
  item: { title: string; titleZh?: string | null },
  locale: DisplayLocale,
): string {
  return locale === 'zh-CN' && item.titleZh ? item.titleZh : item.title;
}
