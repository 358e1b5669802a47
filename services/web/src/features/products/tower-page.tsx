import { useQuery } from '@tanstack/react-query';
import { Badge, Select, Space, Tag } from 'antd';

import { STAGES, type Stage, type Tier } from '@tower/domain';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { PageState } from '../../components/page-state';
import { api, unwrap } from '../../lib/api';
import { useLocale } from '../../lib/i18n';
import { allPages, useOrg } from '../../lib/org';
import { useAllProducts } from '../../lib/products';
import { Typography } from '../../components/typography';
import { Panel } from '../../components/panel';

/** Top to bottom: few flagship products at the tip, many traffic products at the base. */
const PYRAMID: readonly Tier[] = ['flagship', 'custom', 'profit', 'package', 'traffic'];

export function TowerPage() {
  const { t } = useTranslation();
  const { labels } = useLocale();
  const org = useOrg();
  const [branchId, setBranchId] = useState<string | undefined>();
  // The branch narrows the products to its tower (launching or selling there, or chain-wide ones still
  // planned for no branch) and the open tasks counted on them to its own and the chain-wide ones.
  const products = useAllProducts(branchId);
  const [stage, setStage] = useState<Stage | undefined>();
  const openTasks = useQuery({
    queryKey: ['tasks', 'open', 'all'],
    queryFn: () =>
      allPages(async (cursor) =>
        unwrap(await api.GET('/api/tasks', { params: { query: { status: 'open', limit: 200, cursor } } })),
      ),
  });
  const openCount = (productId: string) =>
    openTasks.data?.filter(
      (x) => x.productId === productId && (!branchId || x.branchId === branchId || x.branchId === null),
    ).length ?? 0;
  const shown = (products.data ?? []).filter((p) => !stage || p.stage === stage);

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={2} style={{ margin: 0 }}>
        {t('tower.title')}
      </Typography.Title>
      <Space wrap>
        <Select
          aria-label={t('tower.filterBranch')}
          placeholder={t('tower.filterBranch')}
          allowClear
          style={{ width: 160 }}
          value={branchId}
          onChange={setBranchId}
          options={org.branches.map((b) => ({ value: b.id, label: b.name }))}
        />
        <Select
          aria-label={t('tower.filterStage')}
          placeholder={t('tower.filterStage')}
          allowClear
          style={{ width: 140 }}
          value={stage}
          onChange={setStage}
          options={STAGES.map((s) => ({ value: s, label: labels.stage[s] }))}
        />
      </Space>
      <PageState
        query={products}
        empty={shown.length === 0}
        emptyText={stage || branchId ? t('tower.noneMatch') : t('product.empty')}
      >
        {org.departments
          .filter((d) => shown.some((p) => p.departmentId === d.id) || (!stage && !branchId))
          .map((dept) => (
            <Panel key={dept.id} title={dept.name} size="small">
              {PYRAMID.map((tier, level) => {
                const row = shown.filter((p) => p.departmentId === dept.id && p.tier === tier);
                return (
                  <div
                    key={tier}
                    aria-label={`${dept.name} ${labels.tier[tier]}`}
                    style={{
                      width: `${40 + level * 15}%`,
                      margin: '0 auto 6px',
                      padding: '6px 8px',
                      background: `rgba(11, 110, 105, ${0.22 - level * 0.035})`,
                      borderRadius: 4,
                      textAlign: 'center',
                    }}
                  >
                    <Typography.Text strong>{labels.tier[tier]}</Typography.Text>{' '}
                    {row.length === 0 ? (
                      <Typography.Text>{t('tower.emptyTier')}</Typography.Text>
                    ) : (
                      row.map((p) => (
                        <Tag key={p.id} style={{ margin: 2 }}>
                          <Link to={`/products/${p.id}`}>{p.name}</Link> ·{' '}
                          {labels.stage[p.stage as Stage] ?? p.stage}
                          {openCount(p.id) > 0 && (
                            <Badge
                              count={openCount(p.id)}
                              size="small"
                              style={{ marginInlineStart: 4 }}
                              title={t('tower.openTasks', { count: openCount(p.id) })}
                            />
                          )}
                        </Tag>
                      ))
                    )}
                  </div>
                );
              })}
            </Panel>
          ))}
      </PageState>
    </Space>
  );
}
