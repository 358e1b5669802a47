import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';

export function AdminPage() {
  const { t } = useTranslation();
  return <Typography.Title level={2}>{t('admin.title')}</Typography.Title>;
}
