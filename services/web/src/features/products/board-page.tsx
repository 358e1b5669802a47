import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';

export function BoardPage() {
  const { t } = useTranslation();
  return <Typography.Title level={2}>{t('board.title')}</Typography.Title>;
}
