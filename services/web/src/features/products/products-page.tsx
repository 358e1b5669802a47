import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';

export function ProductsPage() {
  const { t } = useTranslation();
  return <Typography.Title level={2}>{t('product.list')}</Typography.Title>;
}
