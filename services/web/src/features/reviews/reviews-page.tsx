import { Button, Input, Space, Tag } from 'antd';
import { DataTable } from '../../components/deferred';

import { formatInstant } from '@tower/domain';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { errorText, PageState } from '../../components/page-state';
import { useReviews, useStartReview } from './api/reviews';
import { useMessage } from '../../components/message';
import { Typography } from '../../components/typography';

export function ReviewsPage() {
  const { t } = useTranslation();
  const message = useMessage();
  const reviews = useReviews();
  const start = useStartReview();
  const [quarter, setQuarter] = useState('');
  const valid = /^\d{4}-Q[1-4]$/.test(quarter);
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={2} style={{ margin: 0 }}>
        {t('reviews.title')}
      </Typography.Title>
      <Space.Compact>
        <Input
          aria-label={t('reviews.quarter')}
          placeholder="2026-Q3"
          value={quarter}
          status={quarter && !valid ? 'error' : undefined}
          onChange={(e) => setQuarter(e.target.value.trim())}
        />
        <Button
          type="primary"
          disabled={!valid}
          loading={start.isPending}
          onClick={() => start.mutate(quarter, { onError: (e) => void message.error(errorText(e, t)) })}
        >
          {t('reviews.start')}
        </Button>
      </Space.Compact>
      <PageState query={reviews} empty={reviews.data?.items.length === 0} emptyText={t('reviews.empty')}>
        <DataTable
          rowKey="id"
          size="middle"
          dataSource={reviews.data?.items}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          columns={[
            {
              title: t('reviews.quarter'),
              dataIndex: 'quarter',
              render: (q: string, r) => <Link to={`/reviews/${r.id}`}>{q}</Link>,
            },
            {
              title: t('common.status'),
              dataIndex: 'status',
              render: (s: string) => (
                <Tag color={s === 'ready' ? '#237804' : '#595959'}>{t(`reviews.status.${s}`)}</Tag>
              ),
            },
            { title: t('reviews.department'), dataIndex: 'departmentCount' },
            { title: t('common.product'), dataIndex: 'productCount' },
            {
              title: t('common.date'),
              dataIndex: 'computedAt',
              render: (d: string | null) => (d ? formatInstant(d) : '—'),
            },
          ]}
        />
      </PageState>
    </Space>
  );
}
