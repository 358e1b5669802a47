import { Descriptions, Space, Tabs } from 'antd';
import { DataTable, Deferred, preload } from '../../components/deferred';
import { lazy } from 'react';

import { formatInstant } from '@tower/domain';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { SeverityTag, StageTag } from '../../components/labels';
import { PageState } from '../../components/page-state';
import { SalesChart } from '../../components/sales-chart';
import type { Task } from '../../lib/api-types';
import { api, unwrap } from '../../lib/api';
import { labelOf, useLocale } from '../../lib/i18n';
import { useOrg } from '../../lib/org';
import { useQuery } from '@tanstack/react-query';
import { useProduct } from './api/products';
import { EventBar } from './components/event-bar';
import { Typography } from '../../components/typography';
import { Panel } from '../../components/panel';

// The sheet is the first tab: its editor loads beside the product itself; the others when first opened.
const sheetModule = preload(() => import('./components/sheet-editor'));
const SheetEditor = lazy(() => sheetModule().then((m) => ({ default: m.SheetEditor })));
const ResearchPanel = lazy(() =>
  import('./components/research-panel').then((m) => ({ default: m.ResearchPanel })),
);
const PricingPanel = lazy(() =>
  import('./components/pricing-panel').then((m) => ({ default: m.PricingPanel })),
);
const ProductHistory = lazy(() =>
  import('./components/product-history').then((m) => ({ default: m.ProductHistory })),
);
const TrainingPanel = lazy(() =>
  import('./components/training-panel').then((m) => ({ default: m.TrainingPanel })),
);

export function ProductPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const { labels } = useLocale();
  const org = useOrg();
  const [params, setParams] = useSearchParams();
  const product = useProduct(id);
  const tasks = useQuery({
    queryKey: ['tasks', 'product', id],
    queryFn: async () =>
      unwrap(await api.GET('/api/tasks', { params: { query: { productId: id, limit: 100 } } })),
  });

  return (
    <PageState query={product}>
      {product.data && (
        <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
          <Space align="center" wrap>
            <Typography.Title level={2} style={{ margin: 0 }}>
              {product.data.name}
            </Typography.Title>
            <span data-testid="product-stage">
              <StageTag stage={product.data.stage} />
            </span>
          </Space>
          <Descriptions
            size="small"
            column={4}
            items={[
              { key: 'tier', label: t('common.tier'), children: labelOf(labels.tier, product.data.tier) },
              {
                key: 'dept',
                label: t('common.department'),
                children: org.departmentName(product.data.departmentId),
              },
              { key: 'owner', label: t('common.owner'), children: org.personName(product.data.ownerId) },
              { key: 'vendor', label: t('product.vendor'), children: product.data.vendor ?? '—' },
            ]}
          />
          <Panel size="small" title={t('product.events')}>
            {product.data.allowedEvents.length === 0 ? (
              <Typography.Text type="secondary">{t('common.none')}</Typography.Text>
            ) : (
              <EventBar productId={product.data.id} allowedEvents={product.data.allowedEvents} />
            )}
          </Panel>
          <Tabs
            activeKey={params.get('tab') ?? 'sheet'}
            onChange={(tab) => setParams({ tab }, { replace: true })}
            items={[
              {
                key: 'sheet',
                label: t('product.sheet'),
                children: (
                  <Deferred>
                    <SheetEditor key={product.data.version} product={product.data} />
                  </Deferred>
                ),
              },
              {
                key: 'research',
                label: t('product.competitors'),
                children: (
                  <Deferred>
                    <ResearchPanel product={product.data} />
                  </Deferred>
                ),
              },
              {
                key: 'pricing',
                label: `${t('product.costs')} / ${t('product.prices')}`,
                children: (
                  <Deferred>
                    <PricingPanel key={product.data.version} product={product.data} />
                  </Deferred>
                ),
              },
              {
                key: 'training',
                label: `${t('product.launchBranches')} / ${t('product.trainees')}`,
                children: (
                  <Deferred>
                    <TrainingPanel key={product.data.version} product={product.data} />
                  </Deferred>
                ),
              },
              {
                key: 'sales',
                label: t('product.salesChart'),
                children: <SalesChart productId={product.data.id} />,
              },
              {
                key: 'tasks',
                label: t('product.tasks'),
                children: (
                  <DataTable<Task>
                    rowKey="id"
                    size="small"
                    loading={tasks.isPending}
                    dataSource={tasks.data?.items ?? []}
                    pagination={{ pageSize: 20, hideOnSinglePage: true }}
                    columns={[
                      {
                        title: t('inbox.severity'),
                        dataIndex: 'severity',
                        render: (s: string) => <SeverityTag severity={s} />,
                      },
                      {
                        title: t('inbox.signal'),
                        dataIndex: 'signal',
                        render: (s: string, task) => (
                          <Link to={`/tasks/${task.id}`}>{labelOf(labels.signal, s)}</Link>
                        ),
                      },
                      {
                        title: t('common.status'),
                        dataIndex: 'status',
                        render: (s: string) => labelOf(labels.taskStatus, s),
                      },
                      { title: t('inbox.due'), dataIndex: 'dueAt', render: (d: string) => formatInstant(d) },
                    ]}
                  />
                ),
              },
              {
                key: 'history',
                label: t('product.history'),
                children: (
                  <Deferred>
                    <ProductHistory productId={product.data.id} />
                  </Deferred>
                ),
              },
            ]}
          />
        </Space>
      )}
    </PageState>
  );
}
