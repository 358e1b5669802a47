import { Button, Form, Input, Modal, Select, Space } from 'antd';
import { DataTable } from '../../components/deferred';

import { STAGES, TIERS, type Stage, type Tier } from '@tower/domain';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { hasRole, useSession } from '../../app/session';
import { CursorPager, useCursorPages } from '../../components/cursor-pager';
import { StageTag } from '../../components/labels';
import { errorText, PageState } from '../../components/page-state';
import type { Product } from '../../lib/api-types';
import { labelOf, useLocale } from '../../lib/i18n';
import { useOrg } from '../../lib/org';
import { useCreateProduct, useProducts } from './api/products';
import { useMessage } from '../../components/message';
import { Typography } from '../../components/typography';

export function ProductsPage() {
  const { t } = useTranslation();
  const { labels } = useLocale();
  const { person } = useSession();
  const org = useOrg();
  const [stage, setStage] = useState<Stage | undefined>();
  const [tier, setTier] = useState<Tier | undefined>();
  const pages = useCursorPages();
  const products = useProducts({ stage, tier, cursor: pages.cursor });
  const [creating, setCreating] = useState(false);

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Space style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={2} style={{ margin: 0 }}>
          {t('product.list')}
        </Typography.Title>
        {hasRole(person, 'product_manager', 'admin') && (
          <Button type="primary" onClick={() => setCreating(true)}>
            {t('product.create')}
          </Button>
        )}
      </Space>
      <Space wrap>
        <Select
          aria-label={t('common.stage')}
          placeholder={t('common.stage')}
          allowClear
          style={{ width: 140 }}
          value={stage}
          onChange={(v: Stage | undefined) => {
            setStage(v);
            pages.reset();
          }}
          options={STAGES.map((s) => ({ value: s, label: labels.stage[s] }))}
        />
        <Select
          aria-label={t('common.tier')}
          placeholder={t('common.tier')}
          allowClear
          style={{ width: 140 }}
          value={tier}
          onChange={(v: Tier | undefined) => {
            setTier(v);
            pages.reset();
          }}
          options={TIERS.map((s) => ({ value: s, label: labels.tier[s] }))}
        />
      </Space>
      <PageState
        query={products}
        empty={products.data?.items.length === 0 && pages.page === 1}
        emptyText={t('product.empty')}
      >
        <DataTable<Product>
          rowKey="id"
          size="middle"
          pagination={false}
          dataSource={products.data?.items}
          columns={[
            {
              title: t('common.name'),
              dataIndex: 'name',
              render: (n: string, p) => <Link to={`/products/${p.id}`}>{n}</Link>,
            },
            { title: t('common.stage'), dataIndex: 'stage', render: (s: string) => <StageTag stage={s} /> },
            { title: t('common.tier'), dataIndex: 'tier', render: (s: string) => labelOf(labels.tier, s) },
            {
              title: t('common.department'),
              dataIndex: 'departmentId',
              render: (id: string) => org.departmentName(id),
            },
            { title: t('common.owner'), dataIndex: 'ownerId', render: (id: string) => org.personName(id) },
          ]}
        />
        <CursorPager pages={pages} nextCursor={products.data?.nextCursor} />
      </PageState>
      <CreateProduct open={creating} onClose={() => setCreating(false)} />
    </Space>
  );
}

function CreateProduct({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { labels } = useLocale();
  const message = useMessage();
  const { person } = useSession();
  const org = useOrg();
  const navigate = useNavigate();
  const create = useCreateProduct();
  const [form] = Form.useForm<{
    name: string;
    departmentId: string;
    tier: Tier;
    ownerId: string;
    vendor?: string;
  }>();
  const managers = org.people.filter((p) => p.active && p.roles.some((r) => r.role === 'product_manager'));
  return (
    <Modal
      open={open}
      title={t('product.create')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={create.isPending}
      onCancel={onClose}
      onOk={() => form.submit()}
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ ownerId: hasRole(person, 'product_manager') ? person?.id : undefined }}
        onFinish={(v) =>
          create.mutate(v, {
            onSuccess: (p) => {
              onClose();
              void navigate(`/products/${p.id}`);
            },
            onError: (e) => void message.error(`${errorText(e, t)} ${t('common.unsavedKept')}`),
          })
        }
      >
        <Form.Item name="name" label={t('common.name')} rules={[{ required: true }]}>
          <Input />
        </Form.Item>
        <Form.Item name="departmentId" label={t('common.department')} rules={[{ required: true }]}>
          <Select options={org.departments.map((d) => ({ value: d.id, label: d.name }))} />
        </Form.Item>
        <Form.Item name="tier" label={t('common.tier')} rules={[{ required: true }]}>
          <Select options={TIERS.map((x) => ({ value: x, label: labels.tier[x] }))} />
        </Form.Item>
        <Form.Item name="ownerId" label={t('common.owner')} rules={[{ required: true }]}>
          <Select options={managers.map((p) => ({ value: p.id, label: p.name }))} />
        </Form.Item>
        <Form.Item name="vendor" label={t('product.vendor')}>
          <Input />
        </Form.Item>
      </Form>
    </Modal>
  );
}
