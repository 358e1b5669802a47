import { Col, Descriptions, Row, Space, Tag } from 'antd';

import { formatInstant } from '@tower/domain';
import { lazy } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { Deferred, preload } from '../../components/deferred';
import { SeverityTag } from '../../components/labels';
import { PageState } from '../../components/page-state';
import { SalesChart } from '../../components/sales-chart';
import { labelOf, useLocale } from '../../lib/i18n';
import { useOrg } from '../../lib/org';
import { useProductName } from '../../lib/products';
import { useTask } from './api/tasks';
import { Evidence } from './components/evidence';
import { Typography } from '../../components/typography';
import { Panel } from '../../components/panel';

// The actions' forms (select, text areas, comment list) load beside the task itself: the import starts
// with this page, not once the task has arrived.
const actionsModule = preload(() => import('./components/task-actions'));
const TaskActions = lazy(() => actionsModule().then((m) => ({ default: m.TaskActions })));

export function TaskPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const { labels } = useLocale();
  const org = useOrg();
  const productName = useProductName();
  const task = useTask(id);

  return (
    <PageState query={task}>
      {task.data && (
        <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
          <Typography.Title level={2} style={{ margin: 0 }}>
            {labelOf(labels.signal, task.data.signal)} · {productName(task.data.productId)}
          </Typography.Title>
          <Descriptions
            bordered
            size="small"
            column={3}
            items={[
              {
                key: 'sev',
                label: t('inbox.severity'),
                children: <SeverityTag severity={task.data.severity} />,
              },
              {
                key: 'status',
                label: t('common.status'),
                children: <Tag data-testid="task-status">{labelOf(labels.taskStatus, task.data.status)}</Tag>,
              },
              { key: 'esc', label: t('inbox.escalation'), children: task.data.escalationLevel },
              {
                key: 'product',
                label: t('common.product'),
                children: (
                  <Link to={`/products/${task.data.productId}`}>{productName(task.data.productId)}</Link>
                ),
              },
              { key: 'branch', label: t('common.branch'), children: org.branchName(task.data.branchId) },
              { key: 'due', label: t('inbox.due'), children: formatInstant(task.data.dueAt) },
              ...(task.data.decision
                ? [
                    {
                      key: 'decision',
                      label: t('task.decision'),
                      children: t('task.resolvedAs', {
                        decision: labelOf(labels.decision, task.data.decision),
                      }),
                    },
                  ]
                : []),
            ]}
          />
          <Row gutter={16}>
            <Col xs={24} lg={14}>
              <Panel title={t('task.evidence')} size="small">
                <Evidence signal={task.data.signal} evidence={task.data.evidence} />
              </Panel>
              {task.data.productId ? (
                <Panel title={t('task.sales')} size="small" style={{ marginTop: 16 }}>
                  <SalesChart productId={task.data.productId} branchId={task.data.branchId ?? undefined} />
                </Panel>
              ) : null}
            </Col>
            <Col xs={24} lg={10}>
              <Deferred>
                <TaskActions task={task.data} />
              </Deferred>
            </Col>
          </Row>
        </Space>
      )}
    </PageState>
  );
}
