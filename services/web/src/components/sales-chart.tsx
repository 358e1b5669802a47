import { Empty, Skeleton } from 'antd';
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { useProductSales } from '../lib/sales';
import { PageState } from './page-state';

// ECharts is big: it loads with the first chart, not with the page.
const SalesEChart = lazy(() => import('./sales-echart').then((m) => ({ default: m.SalesEChart })));

/** Daily units, the same-weekday baseline, dip days, holidays/promotions shaded and the target line. */
export function SalesChart({ productId, branchId }: { productId: string; branchId?: string }) {
  const { t } = useTranslation();
  const sales = useProductSales(productId, branchId);
  return (
    <PageState query={sales}>
      {sales.data &&
        (sales.data.days.every((d) => d.units === 0 && d.baselineUnits === null) ? (
          <Empty description={t('chart.empty')} />
        ) : (
          <Suspense fallback={<Skeleton active />}>
            <SalesEChart series={sales.data} />
          </Suspense>
        ))}
    </PageState>
  );
}
