import { Button, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { setLanguage, useLocale } from '../lib/i18n';

const LANGUAGES = [
  { value: 'zh-CN', label: '中文' },
  { value: 'en', label: 'EN' },
] as const;

// Two toggle buttons rather than antd's Segmented, which brings Tooltip and its popup machinery into the
// first load.
export function LanguageSwitch() {
  const { t } = useTranslation();
  const { locale } = useLocale();
  return (
    <Space.Compact role="group" aria-label={t('common.language')}>
      {LANGUAGES.map((l) => (
        <Button
          key={l.value}
          size="small"
          type={l.value === locale ? 'primary' : 'default'}
          aria-pressed={l.value === locale}
          lang={l.value}
          onClick={() => setLanguage(l.value)}
        >
          {l.label}
        </Button>
      ))}
    </Space.Compact>
  );
}
