import { Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { setLanguage, useLocale } from '../lib/i18n';

export function LanguageSwitch() {
  const { t } = useTranslation();
  const { locale } = useLocale();
  return (
    <Select
      aria-label={t('common.language')}
      size="small"
      value={locale}
      style={{ width: 96 }}
      onChange={(value) => setLanguage(value)}
      options={[
        { value: 'zh-CN', label: '中文' },
        { value: 'en', label: 'English' },
      ]}
    />
  );
}
