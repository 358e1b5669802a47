import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';

export function LaunchPage() {
  const { t } = useTranslation();
  return <Typography.Title level={2}>{t('launch.title')}</Typography.Title>;
}
