import { Button, Form, Input, Modal, Select, Space, Table, Tag } from 'antd';
import { CHANNEL_KINDS, ROLES, type ChannelKind, type Role } from '@tower/domain';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../../components/page-state';
import { api, unwrap } from '../../../lib/api';
import { showFieldErrors } from '../../../lib/form-errors';
import type { PersonRow } from '../../../lib/api-types';
import { labelOf, useLocale } from '../../../lib/i18n';
import { useOrg } from '../../../lib/org';
import { useMessage } from '../../../components/message';

interface NewPerson {
  name: string;
  email: string;
  password: string;
  roles: { role: Role; departmentId?: string; branchId?: string }[];
  channels?: { kind: ChannelKind; url: string }[];
}

export function PeopleTab() {
  const { t } = useTranslation();
  const { labels } = useLocale();
  const org = useOrg();
  const [adding, setAdding] = useState(false);
  const [search, setSearch] = useState('');
  const needle = search.trim().toLowerCase();
  const shown = needle
    ? org.people.filter(
        (p) => p.name.toLowerCase().includes(needle) || p.email.toLowerCase().includes(needle),
      )
    : org.people;
  return (
    <>
      <Space style={{ marginBottom: 12 }}>
        <Button type="primary" onClick={() => setAdding(true)}>
          {t('admin.addPerson')}
        </Button>
        <Input.Search
          aria-label={t('admin.search')}
          placeholder={t('admin.search')}
          allowClear
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
      </Space>
      <Table<PersonRow>
        rowKey="id"
        size="small"
        dataSource={shown}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        columns={[
          { title: t('common.name'), dataIndex: 'name' },
          { title: t('auth.email'), dataIndex: 'email' },
          {
            title: t('auth.roles'),
            dataIndex: 'roles',
            render: (roles: PersonRow['roles']) =>
              roles.map((r, i) => (
                <Tag key={i}>
                  {labelOf(labels.role, r.role)}
                  {r.departmentId ? ` · ${org.departmentName(r.departmentId)}` : ''}
                  {r.branchId ? ` · ${org.branchName(r.branchId)}` : ''}
                </Tag>
              )),
          },
          {
            title: t('admin.channels'),
            dataIndex: 'channels',
            render: (c: PersonRow['channels'], person) => (
              <Space size={4} wrap>
                {(c ?? []).map((channel) => (
                  <ChannelTest key={channel.id} personId={person.id} channel={channel} />
                ))}
              </Space>
            ),
          },
          {
            title: t('admin.active'),
            dataIndex: 'active',
            render: (a: boolean) => (a ? t('common.yes') : t('common.no')),
          },
        ]}
      />
      <AddPerson open={adding} onClose={() => setAdding(false)} />
    </>
  );
}

function AddPerson({ open, onClose }: { open: boolean; onClose: () => void }) {
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

type Channel = NonNullable<PersonRow['channels']>[number];

/** A channel's kind, and a button that sends it a test message now and says whether the robot took it. */
function ChannelTest({ personId, channel }: { personId: string; channel: Channel }) {
  const { t } = useTranslation();
  const { labels } = useLocale();
  const message = useMessage();
  const kind = labelOf(labels.channelKind, channel.kind);
  const send = useMutation({
    mutationFn: async () =>
      unwrap(
        await api.POST('/api/people/{id}/channels/{channelId}/test', {
          params: { path: { id: personId, channelId: channel.id } },
        }),
      ),
    onSuccess: (result) => {
      if (result.delivered) void message.success(t('admin.testSent', { kind }));
      else if (result.statusCode === null) void message.error(t('admin.testUnreachable', { kind }));
      else void message.error(t('admin.testFailed', { kind, error: result.error ?? result.statusCode }));
    },
    onError: (e) => void message.error(errorText(e, t)),
  });
  return (
    <Space.Compact size="small">
      <Tag style={{ marginInlineEnd: 0, display: 'flex', alignItems: 'center' }}>{kind}</Tag>
      <Button
        size="small"
        loading={send.isPending}
        aria-label={`${t('admin.testMessage')} ${kind}`}
        onClick={() => send.mutate()}
      >
        {t('admin.testMessage')}
      </Button>
    </Space.Compact>
  );
}
