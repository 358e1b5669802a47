import { Button, Form, Input, InputNumber, Select, Space, Tag } from 'antd';
import { DataTable, LazyDatePicker } from '../../../components/deferred';
import { TRAINEE_ROLES, type TraineeRole } from '@tower/domain';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { errorText } from '../../../components/page-state';
import type { ProductDetail, Trainee } from '../../../lib/api-types';
import { labelOf, useLocale } from '../../../lib/i18n';
import { useOrg } from '../../../lib/org';
import { useProductActions, useTrainees } from '../api/products';
import { useMessage } from '../../../components/message';
import { Panel } from '../../../components/panel';

export function TrainingPanel({ product }: { product: ProductDetail }) {
  const { t } = useTranslation();
  const { labels } = useLocale();
  const message = useMessage();
  const org = useOrg();
  const actions = useProductActions(product.id);
  const trainees = useTrainees(product.id);
  const [branchIds, setBranchIds] = useState<string[]>(product.launchBranchIds);
  const [date, setDate] = useState<string | null>(product.targetLaunchDate);
  const [form] = Form.useForm<{ branchId: string; name: string; role: TraineeRole }>();
  const fail = (e: unknown) => void message.error(`${errorText(e, t)} ${t('common.unsavedKept')}`);

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Panel size="small" title={t('product.launchBranches')}>
        <Space wrap>
          <Select
            mode="multiple"
            aria-label={t('product.launchBranches')}
            style={{ minWidth: 280 }}
            value={branchIds}
            onChange={setBranchIds}
            options={org.branches.map((b) => ({ value: b.id, label: b.name }))}
          />
          <LazyDatePicker
            aria-label={t('product.targetLaunchDate')}
            value={date ? dayjs(date) : null}
            onChange={(d) => setDate(d ? d.format('YYYY-MM-DD') : null)}
          />
          <Button
            disabled={branchIds.length === 0 || !date}
            loading={actions.saveLaunchBranches.isPending}
            onClick={() =>
              date &&
              actions.saveLaunchBranches.mutate(
                { branchIds, targetLaunchDate: date },
                { onSuccess: () => void message.success(t('common.saved')), onError: fail },
              )
            }
          >
            {t('common.save')}
          </Button>
          <Link to={`/launch?product=${product.id}`}>{t('nav.launch')}</Link>
        </Space>
      </Panel>
      <Panel size="small" title={t('product.trainees')}>
        <DataTable<Trainee>
          rowKey="id"
          size="small"
          loading={trainees.isPending}
          dataSource={trainees.data ?? []}
          pagination={{ pageSize: 20, hideOnSinglePage: true }}
          columns={[
            { title: t('common.name'), dataIndex: 'name' },
            {
              title: t('product.traineeRole'),
              dataIndex: 'role',
              render: (r: string) => labelOf(labels.traineeRole, r),
            },
            { title: t('common.branch'), dataIndex: 'branchId', render: (id: string) => org.branchName(id) },
            {
              title: t('product.passed'),
              dataIndex: 'passed',
              render: (p: boolean | null) =>
                p === null ? (
                  '—'
                ) : p ? (
                  <Tag color="#237804">{t('common.yes')}</Tag>
                ) : (
                  <Tag color="#a8071a">{t('common.no')}</Tag>
                ),
            },
            { title: t('product.score'), dataIndex: 'score', render: (s: number | null) => s ?? '—' },
            {
              title: t('common.actions'),
              key: 'actions',
              render: (_: unknown, row) => <ResultButtons traineeId={row.id} productId={product.id} />,
            },
          ]}
        />
        <Form
          form={form}
          layout="inline"
          style={{ marginTop: 12, rowGap: 8 }}
          onFinish={(v) =>
            actions.addTrainee.mutate(v, { onSuccess: () => form.resetFields(['name']), onError: fail })
          }
        >
          <Form.Item name="branchId" label={t('common.branch')} rules={[{ required: true }]}>
            <Select
              style={{ width: 160 }}
              options={org.branches.map((b) => ({ value: b.id, label: b.name }))}
            />
          </Form.Item>
          <Form.Item name="name" label={t('common.name')} rules={[{ required: true }]}>
            <Input style={{ width: 140 }} />
          </Form.Item>
          <Form.Item name="role" label={t('product.traineeRole')} rules={[{ required: true }]}>
            <Select
              style={{ width: 120 }}
              options={TRAINEE_ROLES.map((r) => ({ value: r, label: labels.traineeRole[r] }))}
            />
          </Form.Item>
          <Button htmlType="submit" loading={actions.addTrainee.isPending}>
            {t('common.add')}
          </Button>
        </Form>
      </Panel>
    </Space>
  );
}

function ResultButtons({ traineeId, productId }: { traineeId: string; productId: string }) {
  const { t } = useTranslation();
  const message = useMessage();
  const actions = useProductActions(productId);
  const [score, setScore] = useState<number | null>(90);
  const record = (passed: boolean) =>
    actions.recordResult.mutate(
      { traineeId, passed, ...(score === null ? {} : { score }) },
      { onError: (e) => void message.error(errorText(e, t)) },
    );
  return (
    <Space.Compact>
      <InputNumber
        aria-label={t('product.score')}
        min={0}
        max={100}
        size="small"
        value={score}
        onChange={setScore}
        style={{ width: 70 }}
      />
      <Button size="small" onClick={() => record(true)}>
        {t('product.passed')}
      </Button>
      <Button size="small" danger onClick={() => record(false)}>
        ✗
      </Button>
    </Space.Compact>
  );
}
