import { Button, Form, Input, List, Select, Space } from 'antd';

import { DECISIONS, formatInstant, type Decision } from '@tower/domain';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../../components/page-state';
import { useMessage } from '../../../components/message';
import { Panel } from '../../../components/panel';
import { Typography } from '../../../components/typography';
import type { TaskDetail } from '../../../lib/api-types';
import { labelOf, useLocale } from '../../../lib/i18n';
import { useOrg } from '../../../lib/org';
import { useTaskActions } from '../api/tasks';

/** Where each decision sends the product (the review-task machine's events; the rest keep it in place). */
const DECISION_STAGE: Partial<Record<Decision, string>> = {
  reprice: 'pricing',
  repackage: 'packaging',
  retrain: 'training',
  retire: 'retirement',
};

/** A task's actions: acknowledge, resolve with a decision, feedback, comments. */
export function TaskActions({ task }: { task: TaskDetail }) {
  const { t } = useTranslation();
  const { labels } = useLocale();
  const message = useMessage();
  const org = useOrg();
  const actions = useTaskActions(task.id);
  const [comment, setComment] = useState('');
  const [decision, setDecision] = useState<Decision | undefined>();
  const [note, setNote] = useState('');

  const fail = (e: unknown) => void message.error(`${errorText(e, t)} ${t('common.unsavedKept')}`);

  return (
    <>
      {(task.status === 'open' || task.status === 'acknowledged') && (
        <Panel title={t('task.resolve')} size="small">
          {task.status === 'open' && (
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
            type={task.feedbackUseful === true ? 'primary' : 'default'}
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
            type={task.feedbackUseful === false ? 'primary' : 'default'}
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
          dataSource={task.comments ?? []}
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
    </>
  );

  function decisionHint(d: Decision | undefined): string | undefined {
    if (!d) return undefined;
    const stage = DECISION_STAGE[d];
    return stage ? t('task.decisionMoves', { stage: labelOf(labels.stage, stage) }) : t('task.decisionStays');
  }
}
