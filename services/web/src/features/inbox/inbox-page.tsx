import { Badge, Col, Row, Select, Space, Tag } from 'antd';
import { DataTable } from '../../components/deferred';

import { formatInstant, SIGNALS, TASK_STATUSES, type Signal, type TaskStatus } from '@tower/domain';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { CursorPager, useCursorPages } from '../../components/cursor-pager';
import { SeverityTag } from '../../components/labels';
import { PageState } from '../../components/page-state';
import type { MyLaunchItem, Task } from '../../lib/api-types';
import { labelOf, useLocale } from '../../lib/i18n';
import { useOrg } from '../../lib/org';
import { useProductName } from '../../lib/products';
import { useMyLaunchItems, useMyTasks } from './api/tasks';
import { Typography } from '../../components/typography';
import { Panel } from '../../components/panel';
import { launchItemTitle } from '../../lib/launch';

export function InboxPage() {
  const { t } = useTranslation();
  const { labels, locale } = useLocale();
  const org = useOrg();
  const productName = useProductName();
  const [status, setStatus] = useState<TaskStatus | undefined>('open');
  const [signal, setSignal] = useState<Signal | undefined>();
  const pages = useCursorPages();
  const tasks = useMyTasks({ status, signal, cursor: pages.cursor });
  const launchItems = useMyLaunchItems();

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Space align="baseline" style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={2} style={{ margin: 0 }}>
          {t('inbox.title')}
        </Typography.Title>
        <Typography.Text type="secondary">{t('inbox.autoRefresh')}</Typography.Text>
      </Space>
      <Space wrap>
        <Select
          aria-label={t('inbox.filterStatus')}
          style={{ width: 140 }}
          allowClear
          placeholder={t('inbox.filterStatus')}
          value={status}
          onChange={(v: TaskStatus | undefined) => {
            setStatus(v);
            pages.reset();
          }}
          options={TASK_STATUSES.map((s) => ({ value: s, label: labels.taskStatus[s] }))}
        />
        <Select
          aria-label={t('inbox.filterSignal')}
          style={{ width: 180 }}
          allowClear
          placeholder={t('inbox.filterSignal')}
          value={signal}
          onChange={(v: Signal | undefined) => {
            setSignal(v);
            pages.reset();
          }}
          options={SIGNALS.map((s) => ({ value: s, label: labels.signal[s] }))}
        />
      </Space>
      <PageState
        query={tasks}
        empty={tasks.data?.items.length === 0 && pages.page === 1}
        emptyText={t('inbox.empty')}
      >
        <DataTable<Task>
          rowKey="id"
          size="middle"
          dataSource={tasks.data?.items}
          pagination={false}
          columns={[
            {
              title: t('inbox.severity'),
              dataIndex: 'severity',
              render: (s: string) => <SeverityTag severity={s} />,
            },
            {
              title: t('inbox.signal'),
              dataIndex: 'signal',
              render: (s: string, task) => <Link to={`/tasks/${task.id}`}>{labelOf(labels.signal, s)}</Link>,
            },
            { title: t('common.product'), dataIndex: 'productId', render: (id: string) => productName(id) },
            {
              title: t('common.branch'),
              dataIndex: 'branchId',
              render: (id: string | null) => org.branchName(id),
            },
            {
              title: t('common.status'),
              dataIndex: 'status',
              render: (s: string) => labelOf(labels.taskStatus, s),
            },
            {
              title: t('inbox.due'),
              dataIndex: 'dueAt',
              render: (d: string) => formatInstant(d),
              sorter: (a, b) => a.dueAt.localeCompare(b.dueAt),
            },
            {
              title: t('inbox.escalation'),
              dataIndex: 'escalationLevel',
              render: (n: number) => (n > 0 ? <Badge count={n} color="red" /> : '0'),
            },
          ]}
        />
        <CursorPager pages={pages} nextCursor={tasks.data?.nextCursor} />
      </PageState>
      <Row>
        <Col span={24}>
          <Panel title={t('inbox.launchItems')} size="small">
            <PageState
              query={launchItems}
              empty={launchItems.data?.items.length === 0}
              emptyText={t('inbox.launchEmpty')}
            >
              <DataTable<MyLaunchItem>
                rowKey="id"
                size="small"
                dataSource={launchItems.data?.items}
                pagination={{ pageSize: 20, hideOnSinglePage: true }}
                columns={[
                  {
                    title: t('common.name'),
                    dataIndex: 'title',
                    render: (_: string, item) => launchItemTitle(item, locale),
                  },
                  {
                    title: t('common.product'),
                    dataIndex: 'productId',
                    render: (id: string) => <Link to={`/launch?product=${id}`}>{productName(id)}</Link>,
                  },
                  {
                    title: t('common.branch'),
                    dataIndex: 'branchId',
                    render: (id: string) => org.branchName(id),
                  },
                  {
                    title: t('launch.due'),
                    dataIndex: 'dueOn',
                    render: (d: string, item) => (
                      <Space>
                        {d}
                        {item.overdue && <Tag color="#a8071a">{t('inbox.overdue')}</Tag>}
                      </Space>
                    ),
                  },
                ]}
              />
            </PageState>
          </Panel>
        </Col>
      </Row>
    </Space>
  );
}
