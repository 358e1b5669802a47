import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';

export function ReviewsPage() {
  const { t } = useTranslation();
  return <Typography.Title level={2}>{t('reviews.title')}</Typography.Title>;
}
