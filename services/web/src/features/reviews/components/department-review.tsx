import { Button, Input, List, Select, Skeleton, Space, Tag } from 'antd';
import { DataTable } from '../../../components/deferred';

import { DECISIONS, formatFen, type Decision } from '@tower/domain';
import { lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { StageTag } from '../../../components/labels';
import { errorText } from '../../../components/page-state';
import { labelOf, useLocale } from '../../../lib/i18n';
import { useDecide, type ReviewDepartment, type ReviewRow } from '../api/reviews';
import { useMessage } from '../../../components/message';
import { Typography } from '../../../components/typography';
import { Panel } from '../../../components/panel';

const QuadrantChart = lazy(() => import('./quadrant-chart').then((m) => ({ default: m.QuadrantChart })));
const percent = (n: number | null) => (n === null ? '—' : `${n.toFixed(1)} %`);

/** One department of a review: the table, the quadrant, the tower shape, suggestions and decisions. */
export function DepartmentReview({
  reviewId,
  department,
}: {
  reviewId: string;
  department: ReviewDepartment;
}) {
  const { t } = useTranslation();
  const { labels, locale } = useLocale();
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <DataTable<ReviewRow>
        rowKey="productId"
        size="small"
        dataSource={department.rows}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        scroll={{ x: true }}
        columns={[
          {
            title: t('common.product'),
            dataIndex: 'name',
            render: (n: string, r) => <Link to={`/products/${r.productId}`}>{n}</Link>,
            sorter: (a, b) => a.name.localeCompare(b.name),
          },
          { title: t('common.tier'), dataIndex: 'tier', render: (x: string) => labelOf(labels.tier, x) },
          { title: t('common.stage'), dataIndex: 'stage', render: (s: string) => <StageTag stage={s} /> },
          {
            title: t('reviews.revenue'),
            dataIndex: 'revenueFen',
            render: (f: number) => formatFen(f, locale),
            sorter: (a, b) => a.revenueFen - b.revenueFen,
            defaultSortOrder: 'descend',
          },
          { title: t('reviews.units'), dataIndex: 'units', sorter: (a, b) => a.units - b.units },
          {
            title: t('reviews.growth'),
            dataIndex: 'growthPercent',
            render: percent,
            sorter: (a, b) => (a.growthPercent ?? 0) - (b.growthPercent ?? 0),
          },
          {
            title: t('reviews.share'),
            dataIndex: 'sharePercent',
            render: percent,
            sorter: (a, b) => a.sharePercent - b.sharePercent,
          },
          {
            title: t('reviews.margin'),
            dataIndex: 'grossMarginPercent',
            render: percent,
            sorter: (a, b) => (a.grossMarginPercent ?? 0) - (b.grossMarginPercent ?? 0),
          },
          {
            title: t('reviews.quadrant'),
            dataIndex: 'quadrant',
            render: (q: string) => t(`reviews.quadrants.${q}`),
          },
          {
            title: t('reviews.decision'),
            key: 'decision',
            render: (_: unknown, r) => <DecisionCell reviewId={reviewId} row={r} />,
          },
        ]}
      />
      <Panel size="small" title={t('reviews.quadrant')}>
        <Suspense fallback={<Skeleton active />}>
          <QuadrantChart rows={department.rows} />
        </Suspense>
      </Panel>
      <Panel size="small" title={t('reviews.shape')}>
        <DataTable
          rowKey="tier"
          size="small"
          pagination={false}
          dataSource={department.shape}
          columns={[
            { title: t('common.tier'), dataIndex: 'tier', render: (x: string) => labelOf(labels.tier, x) },
            {
              title: t('reviews.products'),
              dataIndex: 'products',
              render: (n: number, s) => `${n} / ≥ ${s.target.minProducts}`,
            },
            {
              title: t('reviews.revenueShare'),
              dataIndex: 'revenuePercent',
              render: (n: number, s) =>
                `${n.toFixed(1)} % (${s.target.minRevenuePercent}–${s.target.maxRevenuePercent} %)`,
            },
            {
              title: t('common.status'),
              dataIndex: 'status',
              render: (s: string) => (
                <Tag color={s === 'ok' ? '#237804' : '#ad2102'}>{t(`reviews.shapeStatus.${s}`)}</Tag>
              ),
            },
          ]}
        />
      </Panel>
      <Panel size="small" title={t('reviews.suggestions')}>
        <List
          size="small"
          dataSource={department.suggestions}
          locale={{ emptyText: <Typography.Text type="secondary">{t('common.none')}</Typography.Text> }}
          renderItem={(s) => (
            <List.Item>
              {s.decision && <Tag>{labelOf(labels.decision, s.decision)}</Tag>}{' '}
              {locale === 'en' ? s.reasonEn : s.reason}
            </List.Item>
          )}
        />
      </Panel>
    </Space>
  );
}

function DecisionCell({ reviewId, row }: { reviewId: string; row: ReviewRow }) {
  const { t } = useTranslation();
  const { labels } = useLocale();
  const message = useMessage();
  const decide = useDecide(reviewId);
  const [decision, setDecision] = useState<Exclude<Decision, 'dismiss'> | undefined>(row.decision?.decision);
  const [note, setNote] = useState(row.decision?.note ?? '');
  return (
    <Space.Compact>
      <Select
        size="small"
        aria-label={`${row.name} ${t('reviews.decision')}`}
        style={{ width: 110 }}
        value={decision}
        onChange={setDecision}
        options={DECISIONS.filter((d) => d !== 'dismiss').map((d) => ({
          value: d,
          label: labels.decision[d],
        }))}
      />
      <Input
        size="small"
        aria-label={`${row.name} ${t('common.note')}`}
        placeholder={t('common.note')}
        value={note}
        onChange={(e) => setNote(e.target.value)}
        style={{ width: 120 }}
      />
      <Button
        size="small"
        disabled={!decision || note.trim() === ''}
        loading={decide.isPending}
        onClick={() =>
          decision &&
          decide.mutate(
            { productId: row.productId, decision, note },
            {
              onSuccess: () => void message.success(t('common.saved')),
              onError: (e) => void message.error(`${errorText(e, t)} ${t('common.unsavedKept')}`),
            },
          )
        }
      >
        {t('reviews.saveDecision')}
      </Button>
    </Space.Compact>
  );
}
