import { Button, Input, Space, Tag } from 'antd';
import { DataTable } from '../../../components/deferred';
import { useMutation } from '@tanstack/react-query';
import { lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../../components/page-state';
import { api, unwrap } from '../../../lib/api';
import type { PersonRow } from '../../../lib/api-types';
import { labelOf, useLocale } from '../../../lib/i18n';
import { useOrg } from '../../../lib/org';
import { useMessage } from '../../../components/message';

// The form opens on a click: its code (modal, selects, validation) loads then.
const AddPerson = lazy(() => import('./add-person').then((m) => ({ default: m.AddPerson })));

export function PeopleTab() {
  const { t } = useTranslation();
  const { labels } = useLocale();
  const org = useOrg();
  const [adding, setAdding] = useState(false);
  // Mounted from the first click on, so a closed form keeps what was typed.
  const [opened, setOpened] = useState(false);
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
        <Button
          type="primary"
          onClick={() => {
            setOpened(true);
            setAdding(true);
          }}
        >
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
      <DataTable<PersonRow>
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
      {opened && (
        <Suspense fallback={null}>
          <AddPerson open={adding} onClose={() => setAdding(false)} />
        </Suspense>
      )}
    </>
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
