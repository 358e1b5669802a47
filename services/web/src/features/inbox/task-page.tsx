import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';

export function TaskPage() {
  const { t } = useTranslation();
  return <Typography.Title level={2}>{t('task.title')}</Typography.Title>;
}
