import { Alert, Button, Form, Input, InputNumber, Select, Space, Typography } from 'antd';
import { DataTable, LazyDatePicker } from '../../../components/deferred';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { CALENDAR_DAY_KINDS, formatInstant, SIGNALS, type CalendarDayKind, type Signal } from '@tower/domain';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText, PageState } from '../../../components/page-state';
import { api, unwrap, type RequestBody } from '../../../lib/api';
import type { ApiKeyRow, CalendarDay, Silence } from '../../../lib/api-types';
import { showFieldErrors } from '../../../lib/form-errors';
import { labelOf, useLocale } from '../../../lib/i18n';
import { useOrg } from '../../../lib/org';
import { useAllProducts, useProductName } from '../../../lib/products';
import { useMessage } from '../../../components/message';

export { RulesForm as RulesTab } from './rules-form';

export function ApiKeysTab() {
  const { t } = useTranslation();
  const message = useMessage();
  const client = useQueryClient();
  const [name, setName] = useState('');
  const [shown, setShown] = useState<string | null>(null);
  const keys = useQuery({
    queryKey: ['api-keys'],
    queryFn: async () => unwrap(await api.GET('/api/api-keys')).items,
  });
  const create = useMutation({
    mutationFn: async () => unwrap(await api.POST('/api/api-keys', { body: { name, scopes: ['ingest'] } })),
    onSuccess: async (r) => {
      setShown(r.key);
      setName('');
      await client.invalidateQueries({ queryKey: ['api-keys'] });
    },
    onError: (e) => void message.error(errorText(e, t)),
  });
  const revoke = useMutation({
    mutationFn: async (id: string) =>
      unwrap(await api.DELETE('/api/api-keys/{id}', { params: { path: { id } } })),
    onSuccess: () => client.invalidateQueries({ queryKey: ['api-keys'] }),
  });
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Space.Compact>
        <Input
          aria-label={t('admin.keyName')}
          placeholder={t('admin.keyName')}
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
        <Button
          type="primary"
          disabled={name.trim() === ''}
          loading={create.isPending}
          onClick={() => create.mutate()}
        >
          {t('admin.createKey')}
        </Button>
      </Space.Compact>
      {shown && (
        <Alert
          type="success"
          closable={{ onClose: () => setShown(null) }}
          title={t('admin.keyShownOnce')}
          description={
            <Typography.Text copyable code data-testid="new-key">
              {shown}
            </Typography.Text>
          }
        />
      )}
      <PageState query={keys}>
        <DataTable<ApiKeyRow>
          rowKey="id"
          size="small"
          dataSource={keys.data ?? []}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          columns={[
            { title: t('admin.keyName'), dataIndex: 'name' },
            { title: t('auth.scopes'), dataIndex: 'scopes', render: (s: string[]) => s.join(', ') },
            { title: t('common.date'), dataIndex: 'createdAt', render: (d: string) => formatInstant(d) },
            {
              title: t('common.actions'),
              key: 'a',
              render: (_: unknown, row) =>
                row.revokedAt ? (
                  formatInstant(row.revokedAt)
                ) : (
                  <Button size="small" danger onClick={() => revoke.mutate(row.id)}>
                    {t('admin.revoke')}
                  </Button>
                ),
            },
          ]}
        />
      </PageState>
    </Space>
  );
}

export function CalendarTab() {
  const { t } = useTranslation();
  const { labels, locale } = useLocale();
  const message = useMessage();
  const client = useQueryClient();
  const [year, setYear] = useState(new Date().getFullYear());
  const [form] = Form.useForm<{ date: { format(f: string): string }; kind: CalendarDayKind; name: string }>();
  const days = useQuery({
    queryKey: ['calendar', year],
    queryFn: async () => unwrap(await api.GET('/api/calendar', { params: { query: { year } } })).items,
  });
  const save = useMutation({
    mutationFn: async (day: CalendarDay) =>
      unwrap(await api.PUT('/api/calendar/days', { body: { days: [day] } })),
    onSuccess: () => client.invalidateQueries({ queryKey: ['calendar'] }),
  });
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Space>
        {t('admin.year')}
        <InputNumber
          aria-label={t('admin.year')}
          min={2000}
          max={2100}
          value={year}
          onChange={(v) => v && setYear(v)}
        />
      </Space>
      <Form
        form={form}
        layout="inline"
        onFinish={(v) =>
          save.mutate(
            { date: v.date.format('YYYY-MM-DD'), kind: v.kind, name: v.name },
            {
              onSuccess: () => form.resetFields(),
              onError: (e) => {
                // The API names `/days/0/date`; the form edits that one day.
                showFieldErrors(form, e, locale, (path) => path.slice(2));
                void message.error(errorText(e, t));
              },
            },
          )
        }
      >
        <Form.Item name="date" label={t('common.date')} rules={[{ required: true }]}>
          <LazyDatePicker />
        </Form.Item>
        <Form.Item name="kind" label={t('admin.dayKind')} rules={[{ required: true }]}>
          <Select
            style={{ width: 140 }}
            options={CALENDAR_DAY_KINDS.map((k) => ({ value: k, label: labels.calendarDayKind[k] }))}
          />
        </Form.Item>
        <Form.Item name="name" label={t('common.name')} rules={[{ required: true }]}>
          <Input />
        </Form.Item>
        <Button htmlType="submit" loading={save.isPending}>
          {t('admin.addDays')}
        </Button>
      </Form>
      <PageState query={days}>
        <DataTable<CalendarDay>
          rowKey="date"
          size="small"
          dataSource={days.data ?? []}
          pagination={{ pageSize: 31, hideOnSinglePage: true }}
          columns={[
            { title: t('common.date'), dataIndex: 'date', render: (d: string) => d.slice(0, 10) },
            {
              title: t('admin.dayKind'),
              dataIndex: 'kind',
              render: (k: string) => labelOf(labels.calendarDayKind, k),
            },
            { title: t('common.name'), dataIndex: 'name' },
          ]}
        />
      </PageState>
    </Space>
  );
}

export function SilencesTab() {
  const { t } = useTranslation();
  const { labels, locale } = useLocale();
  const message = useMessage();
  const client = useQueryClient();
  const org = useOrg();
  const products = useAllProducts();
  const productName = useProductName();
  const [form] = Form.useForm<{
    productId: string;
    signal: Signal;
    branchId?: string;
    until: { toISOString(): string };
    reason: string;
  }>();
  const silences = useQuery({
    queryKey: ['silences'],
    queryFn: async () => unwrap(await api.GET('/api/silences')).items,
  });
  const create = useMutation({
    mutationFn: async (body: RequestBody<'/api/silences', 'post'>) =>
      unwrap(await api.POST('/api/silences', { body })),
    onSuccess: () => client.invalidateQueries({ queryKey: ['silences'] }),
  });
  const remove = useMutation({
    mutationFn: async (id: string) =>
      unwrap(await api.DELETE('/api/silences/{id}', { params: { path: { id } } })),
    onSuccess: () => client.invalidateQueries({ queryKey: ['silences'] }),
  });
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Form
        form={form}
        layout="inline"
        style={{ rowGap: 8 }}
        onFinish={(v) =>
          create.mutate(
            {
              productId: v.productId,
              signal: v.signal,
              until: v.until.toISOString(),
              reason: v.reason,
              ...(v.branchId ? { branchId: v.branchId } : {}),
            },
            {
              onSuccess: () => form.resetFields(),
              onError: (e) => {
                showFieldErrors(form, e, locale);
                void message.error(errorText(e, t));
              },
            },
          )
        }
      >
        <Form.Item name="productId" label={t('common.product')} rules={[{ required: true }]}>
          <Select
            style={{ width: 180 }}
            showSearch={{ optionFilterProp: 'label' }}
            options={(products.data ?? []).map((p) => ({ value: p.id, label: p.name }))}
          />
        </Form.Item>
        <Form.Item name="signal" label={t('inbox.signal')} rules={[{ required: true }]}>
          <Select
            style={{ width: 150 }}
            options={SIGNALS.map((s) => ({ value: s, label: labels.signal[s] }))}
          />
        </Form.Item>
        <Form.Item name="branchId" label={t('common.branch')}>
          <Select
            allowClear
            style={{ width: 140 }}
            options={org.branches.map((b) => ({ value: b.id, label: b.name }))}
          />
        </Form.Item>
        <Form.Item name="until" label={t('admin.until')} rules={[{ required: true }]}>
          <LazyDatePicker showTime />
        </Form.Item>
        <Form.Item name="reason" label={t('common.reason')} rules={[{ required: true }]}>
          <Input />
        </Form.Item>
        <Button htmlType="submit" loading={create.isPending}>
          {t('common.add')}
        </Button>
      </Form>
      <PageState query={silences}>
        <DataTable<Silence>
          rowKey="id"
          size="small"
          dataSource={silences.data ?? []}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          columns={[
            { title: t('common.product'), dataIndex: 'productId', render: (id: string) => productName(id) },
            {
              title: t('inbox.signal'),
              dataIndex: 'signal',
              render: (s: string) => labelOf(labels.signal, s),
            },
            {
              title: t('common.branch'),
              dataIndex: 'branchId',
              render: (id: string | null) => (id ? org.branchName(id) : t('auth.chainWide')),
            },
            { title: t('admin.until'), dataIndex: 'until', render: (d: string) => formatInstant(d) },
            { title: t('common.reason'), dataIndex: 'reason' },
            {
              title: t('common.actions'),
              key: 'a',
              render: (_: unknown, row) => (
                <Button size="small" onClick={() => remove.mutate(row.id)}>
                  {t('common.remove')}
                </Button>
              ),
            },
          ]}
        />
      </PageState>
    </Space>
  );
}
