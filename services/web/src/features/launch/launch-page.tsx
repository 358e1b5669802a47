import { Button, Input, Progress, Select, Space, Tag } from 'antd';
import { DataTable } from '../../components/deferred';

import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { PageState } from '../../components/page-state';
import { errorText } from '../../components/page-state';
import type { LaunchItem } from '../../lib/api-types';
import { labelOf, useLocale } from '../../lib/i18n';
import { useOrg } from '../../lib/org';
import { useAllProducts } from '../../lib/products';
import { useCompleteItem, useProductLaunch, useUndoItem } from './api/launch';
import { useMessage } from '../../components/message';
import { Typography } from '../../components/typography';
import { Panel } from '../../components/panel';
import { launchItemTitle } from '../../lib/launch';

export function LaunchPage() {
  const { t } = useTranslation();
  const { labels, locale } = useLocale();
  const org = useOrg();
  const products = useAllProducts();
  const [params, setParams] = useSearchParams();
  const productId = params.get('product') ?? undefined;
  const launch = useProductLaunch(productId);
  const items = launch.data?.items ?? [];
  const branches = [...new Set(items.map((i) => i.branchId))];
  const candidates = (products.data ?? []).filter(
    (p) => ['launch', 'monitoring', 'training'].includes(p.stage) || p.id === productId,
  );

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Typography.Title level={2} style={{ margin: 0 }}>
        {t('launch.title')}
      </Typography.Title>
      <Select
        aria-label={t('launch.pick')}
        placeholder={t('launch.pick')}
        style={{ width: 320 }}
        value={productId}
        onChange={(id: string) => setParams({ product: id })}
        options={candidates.map((p) => ({
          value: p.id,
          label: `${p.name}（${labelOf(labels.stage, p.stage)}）`,
        }))}
      />
      {productId && (
        <PageState query={launch} empty={items.length === 0} emptyText={t('launch.empty')}>
          {branches.map((branchId) => {
            const mine = items.filter((i) => i.branchId === branchId);
            const done = mine.filter((i) => i.status === 'done').length;
            return (
              <Panel
                key={branchId}
                size="small"
                title={org.branchName(branchId)}
                extra={
                  <Space>
                    {t('launch.progress')}
                    <Progress
                      aria-label={`${org.branchName(branchId)} ${t('launch.progress')}`}
                      percent={Math.round((done / mine.length) * 100)}
                      size="small"
                      style={{ width: 160 }}
                    />
                  </Space>
                }
              >
                <DataTable<LaunchItem>
                  rowKey="id"
                  size="small"
                  pagination={false}
                  dataSource={mine}
                  columns={[
                    {
                      title: t('common.name'),
                      dataIndex: 'title',
                      render: (_: string, item) => launchItemTitle(item, locale),
                    },
                    {
                      title: t('launch.ownerRole'),
                      dataIndex: 'ownerRole',
                      render: (r: string) => labelOf(labels.role, r),
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
                    {
                      title: t('common.status'),
                      dataIndex: 'status',
                      render: (s: string) =>
                        s === 'done' ? (
                          <Tag color="#237804">{t('launch.done')}</Tag>
                        ) : (
                          <Tag>{t('launch.todo')}</Tag>
                        ),
                    },
                    {
                      title: t('common.actions'),
                      key: 'actions',
                      render: (_: unknown, item) =>
                        item.status === 'done' ? (
                          <UndoItem item={item} productId={productId} />
                        ) : (
                          <CompleteItem item={item} productId={productId} />
                        ),
                    },
                  ]}
                />
              </Panel>
            );
          })}
        </PageState>
      )}
    </Space>
  );
}

function CompleteItem({ item, productId }: { item: LaunchItem; productId: string }) {
  const { t } = useTranslation();
  const title = launchItemTitle(item, useLocale().locale);
  const message = useMessage();
  const complete = useCompleteItem(productId);
  const [note, setNote] = useState('');
  const [url, setUrl] = useState('');
  return (
    <Space.Compact>
      <Input
        size="small"
        aria-label={`${title} ${t('common.note')}`}
        placeholder={t('common.note')}
        value={note}
        onChange={(e) => setNote(e.target.value)}
        style={{ width: 120 }}
      />
      <Input
        size="small"
        aria-label={`${title} ${t('launch.evidenceUrl')}`}
        placeholder={t('launch.evidenceUrl')}
        value={url}
        onChange={(e) => setUrl(e.target.value)}
        style={{ width: 140 }}
      />
      <Button
        size="small"
        type="primary"
        aria-label={`${t('launch.complete')} ${title}`}
        loading={complete.isPending}
        onClick={() =>
          complete.mutate(
            { id: item.id, note, evidenceUrl: url },
            { onError: (e) => void message.error(`${errorText(e, t)} ${t('common.unsavedKept')}`) },
          )
        }
      >
        {t('launch.complete')}
      </Button>
    </Space.Compact>
  );
}

/** A done item: its note, and undo with a reason (the API allows the person who completed it, or an admin). */
function UndoItem({ item, productId }: { item: LaunchItem; productId: string }) {
  const { t } = useTranslation();
  const title = launchItemTitle(item, useLocale().locale);
  const message = useMessage();
  const undo = useUndoItem(productId);
  const [reason, setReason] = useState('');
  return (
    <Space.Compact>
      <Typography.Text style={{ marginInlineEnd: 8 }}>{item.note ?? ''}</Typography.Text>
      <Input
        size="small"
        aria-label={`${title} ${t('launch.undoReason')}`}
        placeholder={t('launch.undoReason')}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        style={{ width: 120 }}
      />
      <Button
        size="small"
        disabled={reason.trim() === ''}
        loading={undo.isPending}
        onClick={() =>
          undo.mutate(
            { id: item.id, reason },
            { onError: (e) => void message.error(`${errorText(e, t)} ${t('common.unsavedKept')}`) },
          )
        }
      >
        {t('launch.undo')}
      </Button>
    </Space.Compact>
  );
}
