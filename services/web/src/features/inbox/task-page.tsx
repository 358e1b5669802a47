import { Button, Col, Descriptions, Form, Input, List, Row, Select, Space, Tag } from 'antd';

import { DECISIONS, formatInstant, type Decision } from '@tower/domain';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { SeverityTag } from '../../components/labels';
import { errorText, PageState } from '../../components/page-state';
import { SalesChart } from '../../components/sales-chart';
import { labelOf, useLocale } from '../../lib/i18n';
import { useOrg } from '../../lib/org';
import { useProductName } from '../../lib/products';
import { useTask, useTaskActions } from './api/tasks';
import { Evidence } from './components/evidence';
import { useMessage } from '../../components/message';
import { Typography } from '../../components/typography';
import { Panel } from '../../components/panel';

/** Where each decision sends the product (the review-task machine's events; the rest keep it in place). */
const DECISION_STAGE: Partial<Record<Decision, string>> = {
  reprice: 'pricing',
  repackage: 'packaging',
  retrain: 'training',
  retire: 'retirement',
};

export function TaskPage() {
  const { id = '' } = useParams();
  const { t } = useTranslation();
  const { labels } = useLocale();
  const message = useMessage();
  const org = useOrg();
  const productName = useProductName();
  const task = useTask(id);
  const actions = useTaskActions(id);
  const [comment, setComment] = useState('');
  const [decision, setDecision] = useState<Decision | undefined>();
  const [note, setNote] = useState('');

  const fail = (e: unknown) => void message.error(`${errorText(e, t)} ${t('common.unsavedKept')}`);

  return (
    <PageState query={task}>
      {task.data && (
        <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
          <Typography.Title level={2} style={{ margin: 0 }}>
            {labelOf(labels.signal, task.data.signal)} · {productName(task.data.productId)}
          </Typography.Title>
          <Descriptions
            bordered
            size="small"
            column={3}
            items={[
              {
                key: 'sev',
                label: t('inbox.severity'),
                children: <SeverityTag severity={task.data.severity} />,
              },
              {
                key: 'status',
                label: t('common.status'),
                children: <Tag data-testid="task-status">{labelOf(labels.taskStatus, task.data.status)}</Tag>,
              },
              { key: 'esc', label: t('inbox.escalation'), children: task.data.escalationLevel },
              {
                key: 'product',
                label: t('common.product'),
                children: (
                  <Link to={`/products/${task.data.productId}`}>{productName(task.data.productId)}</Link>
                ),
              },
              { key: 'branch', label: t('common.branch'), children: org.branchName(task.data.branchId) },
              { key: 'due', label: t('inbox.due'), children: formatInstant(task.data.dueAt) },
              ...(task.data.decision
                ? [
                    {
                      key: 'decision',
                      label: t('task.decision'),
                      children: t('task.resolvedAs', {
                        decision: labelOf(labels.decision, task.data.decision),
                      }),
                    },
                  ]
                : []),
            ]}
          />
          <Row gutter={16}>
            <Col xs={24} lg={14}>
              <Panel title={t('task.evidence')} size="small">
                <Evidence signal={task.data.signal} evidence={task.data.evidence} />
              </Panel>
              {task.data.productId ? (
                <Panel title={t('task.sales')} size="small" style={{ marginTop: 16 }}>
                  <SalesChart productId={task.data.productId} branchId={task.data.branchId ?? undefined} />
                </Panel>
              ) : null}
            </Col>
            <Col xs={24} lg={10}>
              {(task.data.status === 'open' || task.data.status === 'acknowledged') && (
                <Panel title={t('task.resolve')} size="small">
                  {task.data.status === 'open' && (
                    <Button
                      type="primary"
                      style={{ marginBottom: 12 }}
                      loading={actions.acknowledge.isPending}
                      onClick={() => actions.acknowledge.mutate(undefined, { onError: fail })}
                    >
                      {t('task.acknowledge')}
                    </Button>
                  )}
                  <Form layout="vertical">
                    <Form.Item label={t('task.decision')} help={decisionHint(decision)}>
                      <Select
                        aria-label={t('task.decision')}
                        value={decision}
                        onChange={setDecision}
                        options={DECISIONS.map((d) => ({ value: d, label: labels.decision[d] }))}
                      />
                    </Form.Item>
                    <Form.Item label={t('common.note')}>
                      <Input.TextArea
                        aria-label={t('common.note')}
                        rows={3}
                        value={note}
                        onChange={(e) => setNote(e.target.value)}
                      />
                    </Form.Item>
                    <Button
                      disabled={!decision || note.trim() === ''}
                      loading={actions.resolve.isPending}
                      onClick={() =>
                        decision &&
                        actions.resolve.mutate(
                          { decision, note },
                          { onSuccess: () => void message.success(t('common.saved')), onError: fail },
                        )
                      }
                    >
                      {t('task.resolve')}
                    </Button>
                  </Form>
                </Panel>
              )}
              <Panel title={t('task.feedback')} size="small" style={{ marginTop: 16 }}>
                <Space>
                  <Button
                    type={task.data.feedbackUseful === true ? 'primary' : 'default'}
                    onClick={() =>
                      actions.feedback.mutate(true, {
                        onSuccess: () => void message.success(t('task.feedbackThanks')),
                        onError: fail,
                      })
                    }
                  >
                    {t('task.useful')}
                  </Button>
                  <Button
                    type={task.data.feedbackUseful === false ? 'primary' : 'default'}
                    onClick={() =>
                      actions.feedback.mutate(false, {
                        onSuccess: () => void message.success(t('task.feedbackThanks')),
                        onError: fail,
                      })
                    }
                  >
                    {t('task.falseAlarm')}
                  </Button>
                </Space>
              </Panel>
              <Panel title={t('task.comments')} size="small" style={{ marginTop: 16 }}>
                <List
                  size="small"
                  locale={{
                    emptyText: <Typography.Text type="secondary">{t('task.noComments')}</Typography.Text>,
                  }}
                  dataSource={task.data.comments ?? []}
                  renderItem={(c) => (
                    <List.Item>
                      <List.Item.Meta
                        title={`${org.personName(c.authorId)} · ${formatInstant(c.createdAt)}`}
                        description={c.text}
                      />
                    </List.Item>
                  )}
                />
                <Space.Compact style={{ width: '100%', marginTop: 8 }}>
                  <Input
                    aria-label={t('task.addComment')}
                    placeholder={t('task.addComment')}
                    value={comment}
                    onChange={(e) => setComment(e.target.value)}
                  />
                  <Button
                    disabled={comment.trim() === ''}
                    loading={actions.comment.isPending}
                    onClick={() =>
                      actions.comment.mutate(comment, { onSuccess: () => setComment(''), onError: fail })
                    }
                  >
                    {t('common.add')}
                  </Button>
                </Space.Compact>
              </Panel>
            </Col>
          </Row>
        </Space>
      )}
    </PageState>
  );

  function decisionHint(d: Decision | undefined): string | undefined {
    if (!d) return undefined;
    const stage = DECISION_STAGE[d];
    return stage ? t('task.decisionMoves', { stage: labelOf(labels.stage, stage) }) : t('task.decisionStays');
  }
}
