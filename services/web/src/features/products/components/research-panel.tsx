import { Button, Form, Input, InputNumber, Space } from 'antd';
import { DataTable, LazyDatePicker } from '../../../components/deferred';
import { formatFen } from '@tower/domain';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../../components/page-state';
import type { ProductDetail } from '../../../lib/api-types';
import { useLocale } from '../../../lib/i18n';
import { useCompetitorPrices, useProductActions, type CompetitorPrice } from '../api/products';
import { useMessage } from '../../../components/message';
import { Panel } from '../../../components/panel';

export function ResearchPanel({ product }: { product: ProductDetail }) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const message = useMessage();
  const prices = useCompetitorPrices(product.id);
  const actions = useProductActions(product.id);
  const [target, setTarget] = useState(product.targetCustomers ?? '');
  const [form] = Form.useForm<{
    competitor: string;
    yuan: number;
    observedAt: { format(f: string): string };
    platform?: string;
  }>();
  const fail = (e: unknown) => void message.error(`${errorText(e, t)} ${t('common.unsavedKept')}`);

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Panel size="small" title={t('product.targetCustomers')}>
        <Input.TextArea
          aria-label={t('product.targetCustomers')}
          rows={2}
          value={target}
          onChange={(e) => setTarget(e.target.value)}
        />
        <Button
          style={{ marginTop: 8 }}
          loading={actions.saveTargetCustomers.isPending}
          disabled={target.trim() === ''}
          onClick={() =>
            actions.saveTargetCustomers.mutate(target, {
              onSuccess: () => void message.success(t('common.saved')),
              onError: fail,
            })
          }
        >
          {t('common.save')}
        </Button>
      </Panel>
      <Panel size="small" title={t('product.competitors')}>
        <DataTable<CompetitorPrice>
          rowKey={(r) => r.id ?? `${r.competitor}-${r.observedAt}`}
          size="small"
          dataSource={prices.data ?? []}
          loading={prices.isPending}
          pagination={{ pageSize: 10, hideOnSinglePage: true }}
          columns={[
            { title: t('product.competitor'), dataIndex: 'competitor' },
            { title: t('product.price'), dataIndex: 'priceFen', render: (f: number) => formatFen(f, locale) },
            {
              title: t('product.observedAt'),
              dataIndex: 'observedAt',
              render: (d: string) => d.slice(0, 10),
            },
            { title: t('product.platform'), dataIndex: 'platform' },
          ]}
        />
        <Form
          form={form}
          layout="inline"
          style={{ marginTop: 12, rowGap: 8 }}
          onFinish={(v) =>
            actions.addCompetitorPrice.mutate(
              {
                competitor: v.competitor,
                priceFen: Math.round(v.yuan * 100),
                observedAt: v.observedAt.format('YYYY-MM-DD'),
                ...(v.platform ? { platform: v.platform } : {}),
              },
              { onSuccess: () => form.resetFields(['competitor', 'yuan', 'platform']), onError: fail },
            )
          }
        >
          <Form.Item name="competitor" label={t('product.competitor')} rules={[{ required: true }]}>
            <Input style={{ width: 140 }} />
          </Form.Item>
          <Form.Item name="yuan" label={t('product.amount')} rules={[{ required: true }]}>
            <InputNumber min={0.01} precision={2} style={{ width: 120 }} />
          </Form.Item>
          <Form.Item name="observedAt" label={t('product.observedAt')} rules={[{ required: true }]}>
            <LazyDatePicker />
          </Form.Item>
          <Form.Item name="platform" label={t('product.platform')}>
            <Input style={{ width: 120 }} />
          </Form.Item>
          <Button htmlType="submit" loading={actions.addCompetitorPrice.isPending}>
            {t('common.add')}
          </Button>
        </Form>
      </Panel>
    </Space>
  );
}
