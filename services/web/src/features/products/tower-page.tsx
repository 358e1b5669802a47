import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';

export function TowerPage() {
  const { t } = useTranslation();
  return <Typography.Title level={2}>{t('tower.title')}</Typography.Title>;
}
