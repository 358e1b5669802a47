import { Button, Skeleton, Space, Tabs } from 'antd';
import { Deferred, preload } from '../../components/deferred';

import { lazy } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { errorText, PageState } from '../../components/page-state';
import { downloadReportCsv, useReview } from './api/reviews';
import { useMessage } from '../../components/message';
import { Typography } from '../../components/typography';

// A department's table, charts and decision pickers load beside the review itself.
const departmentModule = preload(() => import('./components/department-review'));
const DepartmentReview = lazy(() => departmentModule().then((m) => ({ default: m.DepartmentReview })));

export function ReviewPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const message = useMessage();
  const review = useReview(id);
  return (
    <PageState query={review}>
      {review.data && (
        <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
          <Space style={{ justifyContent: 'space-between', width: '100%' }}>
            <Typography.Title level={2} style={{ margin: 0 }}>
              {t('reviews.title')} {review.data.quarter}
            </Typography.Title>
            <Button
              onClick={() =>
                review.data &&
                void downloadReportCsv(id, review.data.quarter).catch(
                  (e: unknown) => void message.error(errorText(e, t)),
                )
              }
            >
              {t('reviews.csv')}
            </Button>
          </Space>
          {review.data.status === 'pending' ? (
            <Skeleton active />
          ) : (
            <Tabs
              items={review.data.departments.map((d) => ({
                key: d.departmentId,
                label: d.departmentName,
                children: (
                  <Deferred>
                    <DepartmentReview reviewId={id} department={d} />
                  </Deferred>
                ),
              }))}
            />
          )}
        </Space>
      )}
    </PageState>
  );
}
