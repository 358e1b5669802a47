import { Button, Form, Input, Space } from 'antd';
import { DataTable } from '../../../components/deferred';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../../components/page-state';
import { api, unwrap } from '../../../lib/api';
import { showFieldErrors } from '../../../lib/form-errors';
import { useLocale } from '../../../lib/i18n';
import type { Named } from '../../../lib/api-types';
import { useOrg } from '../../../lib/org';
import { useMessage } from '../../../components/message';

/** Branches or departments: the list and a form to add one (problems shown at their field). */
export function OrgTab({ kind }: { kind: 'branches' | 'departments' }) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const message = useMessage();
  const org = useOrg();
  const client = useQueryClient();
  const [form] = Form.useForm<{ code: string; name: string }>();
  const create = useMutation({
    mutationFn: async (body: { code: string; name: string }) =>
      kind === 'branches'
        ? unwrap(await api.POST('/api/branches', { body }))
        : unwrap(await api.POST('/api/departments', { body })),
    onSuccess: () => client.invalidateQueries({ queryKey: [kind] }),
  });
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Form
        form={form}
        layout="inline"
        onFinish={(v) =>
          create.mutate(v, {
            onSuccess: () => form.resetFields(),
            onError: (e) => {
              showFieldErrors(form, e, locale);
              void message.error(errorText(e, t));
            },
          })
        }
      >
        <Form.Item name="code" label={t('common.code')} rules={[{ required: true }]}>
          <Input />
        </Form.Item>
        <Form.Item name="name" label={t('common.name')} rules={[{ required: true }]}>
          <Input />
        </Form.Item>
        <Button htmlType="submit" loading={create.isPending}>
          {t('common.add')}
        </Button>
      </Form>
      <DataTable<Named>
        rowKey="id"
        size="small"
        dataSource={kind === 'branches' ? org.branches : org.departments}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        columns={[
          { title: t('common.code'), dataIndex: 'code' },
          { title: t('common.name'), dataIndex: 'name' },
        ]}
      />
    </Space>
  );
}
