import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';

export function InboxPage() {
  const { t } = useTranslation();
  return <Typography.Title level={2}>{t('inbox.title')}</Typography.Title>;
}
