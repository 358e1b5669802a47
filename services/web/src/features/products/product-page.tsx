import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';

export function ProductPage() {
  const { t } = useTranslation();
  return <Typography.Title level={2}>{t('product.title')}</Typography.Title>;
}
