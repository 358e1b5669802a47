import { Segmented } from 'antd';
import { useTranslation } from 'react-i18next';
import { setLanguage, useLocale } from '../lib/i18n';

export function LanguageSwitch() {
  const { t } = useTranslation();
  const { locale } = useLocale();
  return (
    <Segmented
      aria-label={t('common.language')}
      size="small"
      value={locale}
      onChange={(value) => setLanguage(value)}
      options={[
        { value: 'zh-CN' as const, label: '中文' },
        { value: 'en' as const, label: 'EN' },
      ]}
    />
  );
}
