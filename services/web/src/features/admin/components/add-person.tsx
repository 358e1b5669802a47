import { Button, Form, Input, Modal, Select, Space } from 'antd';
import { CHANNEL_KINDS, ROLES, type ChannelKind, type Role } from '@tower/domain';
import { useMutation, useQueryClient } from '@tanstack/react-query';

import { useTranslation } from 'react-i18next';
import { errorText } from '../../../components/page-state';
import { api, unwrap } from '../../../lib/api';
import { showFieldErrors } from '../../../lib/form-errors';
import { useLocale } from '../../../lib/i18n';
import { useOrg } from '../../../lib/org';
import { useMessage } from '../../../components/message';

interface NewPerson {
  name: string;
  email: string;
  password: string;
  roles: { role: Role; departmentId?: string; branchId?: string }[];
  channels?: { kind: ChannelKind; url: string }[];
}

/** The form that adds a person: roles with their scopes, channels; problems shown at their fields. */
export function AddPerson({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { labels, locale } = useLocale();
  const message = useMessage();
  const org = useOrg();
  const client = useQueryClient();
  const [form] = Form.useForm<NewPerson>();
  const create = useMutation({
    mutationFn: async (body: NewPerson) => unwrap(await api.POST('/api/people', { body })),
    onSuccess: () => client.invalidateQueries({ queryKey: ['people'] }),
  });
  return (
    <Modal
      open={open}
      width={720}
      title={t('admin.addPerson')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={create.isPending}
      onCancel={onClose}
      onOk={() => form.submit()}
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ roles: [{}], channels: [] }}
        onFinish={(v) =>
          create.mutate(
            { ...v, channels: v.channels ?? [] },
            {
              onSuccess: () => {
                form.resetFields();
                onClose();
                void message.success(t('common.saved'));
              },
              onError: (e) => {
                // The API names each failing field (`/email`, `/roles/0/departmentId`): show each at its field.
                showFieldErrors(form, e, locale);
                void message.error(`${errorText(e, t)} ${t('common.unsavedKept')}`);
              },
            },
          )
        }
      >
        <Space wrap>
          <Form.Item name="name" label={t('common.name')} rules={[{ required: true }]}>
            <Input />
          </Form.Item>
          <Form.Item name="email" label={t('auth.email')} rules={[{ required: true }]}>
            <Input />
          </Form.Item>
          <Form.Item name="password" label={t('auth.password')} rules={[{ required: true }]}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        </Space>
        <Form.List name="roles">
          {(fields, { add, remove }) => (
            <>
              {fields.map((field) => (
                <Space key={field.key} align="baseline" wrap>
                  <Form.Item name={[field.name, 'role']} label={t('admin.role')} rules={[{ required: true }]}>
                    <Select
                      style={{ width: 160 }}
                      options={ROLES.map((r) => ({ value: r, label: labels.role[r] }))}
                    />
                  </Form.Item>
                  <Form.Item name={[field.name, 'departmentId']} label={t('common.department')}>
                    <Select
                      allowClear
                      style={{ width: 150 }}
                      options={org.departments.map((d) => ({ value: d.id, label: d.name }))}
                    />
                  </Form.Item>
                  <Form.Item name={[field.name, 'branchId']} label={t('common.branch')}>
                    <Select
                      allowClear
                      style={{ width: 150 }}
                      options={org.branches.map((b) => ({ value: b.id, label: b.name }))}
                    />
                  </Form.Item>
                  <Button onClick={() => remove(field.name)}>{t('common.remove')}</Button>
                </Space>
              ))}
              <Button onClick={() => add({})}>
                {t('common.add')} {t('admin.role')}
              </Button>
            </>
          )}
        </Form.List>
        <Form.List name="channels">
          {(fields, { add, remove }) => (
            <div style={{ marginTop: 12 }}>
              {fields.map((field) => (
                <Space key={field.key} align="baseline" wrap>
                  <Form.Item
                    name={[field.name, 'kind']}
                    label={t('admin.channels')}
                    rules={[{ required: true }]}
                  >
                    <Select
                      style={{ width: 130 }}
                      options={CHANNEL_KINDS.map((k) => ({ value: k, label: labels.channelKind[k] }))}
                    />
                  </Form.Item>
                  <Form.Item
                    name={[field.name, 'url']}
                    label={t('admin.channelUrl')}
                    rules={[{ required: true }]}
                  >
                    <Input style={{ width: 300 }} />
                  </Form.Item>
                  <Button onClick={() => remove(field.name)}>{t('common.remove')}</Button>
                </Space>
              ))}
              <Button onClick={() => add({})}>
                {t('common.add')} {t('admin.channels')}
              </Button>
            </div>
          )}
        </Form.List>
      </Form>
    </Modal>
  );
}
