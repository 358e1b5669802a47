import { Alert, Button, Descriptions, Progress, Select, Space, Tag, Tooltip } from 'antd';
import { DataTable } from '../../../components/deferred';

import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { problemText, type Language } from '@tower/domain';
import { errorText } from '../../../components/page-state';
import { ApiError } from '../../../lib/api';
import { useLocale } from '../../../lib/i18n';
import { downloadRefused, useCommit, useImportFields, useRemap, type ImportView } from '../api/imports';
import { useMessage } from '../../../components/message';
import { Typography } from '../../../components/typography';
import { Panel } from '../../../components/panel';

const STATUS_COLOUR: Record<string, string> = {
  preview: 'blue',
  committing: 'gold',
  done: 'green',
  failed: 'red',
};

/** One import: its file, the column mapping, the preview with problems highlighted, then progress and summary. */
export function ImportDetail({ view }: { view: ImportView }) {
  const { t } = useTranslation();
  const message = useMessage();
  const commit = useCommit(view.id);
  const processed = view.rowsDone + view.rowsRefused;
  const percent = view.rowsTotal === 0 ? 100 : Math.floor((processed / view.rowsTotal) * 100);

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Panel
        size="small"
        title={view.fileName}
        extra={
          <Tag color={STATUS_COLOUR[view.status]} data-testid="import-status">
            {t(`imports.status.${view.status}`)}
          </Tag>
        }
      >
        <Descriptions size="small" column={3}>
          <Descriptions.Item label={t('imports.kind')}>{t(`imports.kinds.${view.kind}`)}</Descriptions.Item>
          <Descriptions.Item label={t('imports.rowsTotal')}>{view.rowsTotal}</Descriptions.Item>
          <Descriptions.Item label={t('imports.withProblems')}>{view.rowsWithProblems}</Descriptions.Item>
          <Descriptions.Item label={t('imports.size')}>
            {(view.fileSize / 1024).toFixed(1)} KiB
          </Descriptions.Item>
          <Descriptions.Item label={t('imports.encoding')}>
            {view.encoding ?? view.sheet ?? '—'}
          </Descriptions.Item>
          <Descriptions.Item label="SHA-256">
            <Typography.Text code>{view.fileSha256?.slice(0, 16)}…</Typography.Text>
          </Descriptions.Item>
        </Descriptions>
        {view.recognised && <Alert type="info" showIcon title={t('imports.recognised')} />}
      </Panel>

      {view.status === 'preview' && <MappingEditor view={view} />}
      <PreviewTable view={view} />

      {view.status === 'preview' && (
        <Button
          type="primary"
          disabled={view.mappingProblems.length > 0}
          loading={commit.isPending}
          onClick={() => commit.mutate(undefined, { onError: (e) => void message.error(errorText(e, t)) })}
        >
          {t('imports.commit', { rows: view.rowsTotal - view.rowsWithProblems })}
        </Button>
      )}
      {view.status !== 'preview' && (
        <Panel size="small" title={t('imports.progress')}>
          <Progress
            aria-label={t('imports.progress')}
            data-testid="import-progress"
            percent={percent}
            status={view.status === 'failed' ? 'exception' : view.status === 'done' ? 'success' : 'active'}
          />
          <Typography.Paragraph data-testid="import-summary" style={{ marginTop: 8, marginBottom: 0 }}>
            {t('imports.summary', { done: view.rowsDone, refused: view.rowsRefused, total: view.rowsTotal })}
          </Typography.Paragraph>
          {view.error && <Alert type="error" showIcon title={view.error} />}
          {view.status === 'done' && view.rowsRefused > 0 && (
            <Button
              style={{ marginTop: 8 }}
              onClick={() =>
                void downloadRefused(view.id, `${view.fileName}-refused.csv`).catch(
                  (e: unknown) => void message.error(errorText(e, t)),
                )
              }
            >
              {t('imports.downloadRefused')}
            </Button>
          )}
        </Panel>
      )}
    </Space>
  );
}

/** Problems come with a code and its values: the words are the domain's, in the page's language. */
function useProblemLanguage(): Language {
  return useLocale().locale === 'en' ? 'en' : 'zh';
}

function MappingEditor({ view }: { view: ImportView }) {
  const { t } = useTranslation();
  const language = useProblemLanguage();
  const wording = (problem: Parameters<typeof problemText>[0]) => problemText(problem, language);
  const fieldLabel = (name: string) =>
    t(`imports.fields.${name.replace(/^\/mapping\//, '')}`, { defaultValue: name });
  const fields = useImportFields();
  const remap = useRemap(view.id);
  const [mapping, setMapping] = useState<Record<string, string>>(view.mapping);
  useEffect(() => setMapping(view.mapping), [view.mapping]);
  const kindFields = fields.data?.[view.kind] ?? [];
  const changed = JSON.stringify(mapping) !== JSON.stringify(view.mapping);
  const problems = remap.error instanceof ApiError ? remap.error.fields : [];

  return (
    <Panel size="small" title={t('imports.mapping')}>
      <Space wrap size="middle">
        {kindFields.map((field) => (
          <Space key={field.name} orientation="vertical" size={2}>
            <Typography.Text type={field.required ? undefined : 'secondary'}>
              {t(`imports.fields.${field.name}`, { defaultValue: field.name })}
              {field.required ? ' *' : ''}
            </Typography.Text>
            <Select
              aria-label={`${t('imports.mapping')} ${field.name}`}
              allowClear
              style={{ width: 170 }}
              value={mapping[field.name]}
              status={view.mappingProblems.some((p) => p.field === field.name) ? 'error' : undefined}
              onChange={(column?: string) => {
                const next = { ...mapping };
                if (column) next[field.name] = column;
                else delete next[field.name];
                setMapping(next);
              }}
              options={view.headers.map((h) => ({ value: h, label: h }))}
            />
          </Space>
        ))}
      </Space>
      {view.mappingProblems.length > 0 && (
        <Alert
          style={{ marginTop: 12 }}
          type="warning"
          showIcon
          title={t('imports.mappingProblems')}
          description={view.mappingProblems.map((p) => `${fieldLabel(p.field)}: ${wording(p)}`).join('；')}
        />
      )}
      {problems.length > 0 && (
        <Alert
          type="error"
          showIcon
          title={problems.map((p) => `${fieldLabel(p.field)}: ${wording(p)}`).join('；')}
        />
      )}
      <Button
        style={{ marginTop: 12 }}
        disabled={!changed}
        loading={remap.isPending}
        onClick={() => remap.mutate(mapping)}
      >
        {t('imports.applyMapping')}
      </Button>
    </Panel>
  );
}

function PreviewTable({ view }: { view: ImportView }) {
  const { t } = useTranslation();
  const language = useProblemLanguage();
  const problems = useMemo(
    () => view.problems.map((p) => ({ ...p, text: problemText(p, language) })),
    [view.problems, language],
  );
  const byCell = useMemo(() => {
    const map = new Map<string, string[]>();
    for (const p of problems) {
      const key = `${p.row}|${p.column}`;
      map.set(key, [...(map.get(key) ?? []), p.text]);
    }
    return map;
  }, [problems]);
  const rowsWithProblems = new Set(view.problems.map((p) => p.row));
  type Row = ImportView['preview'][number];

  return (
    <Panel size="small" title={t('imports.preview')}>
      <DataTable<Row>
        rowKey="row"
        size="small"
        pagination={false}
        scroll={{ x: true }}
        dataSource={view.preview}
        rowClassName={(r) => (rowsWithProblems.has(r.row) ? 'import-row-refused' : '')}
        onRow={(r) => ({
          'data-testid': `preview-row-${r.row}`,
          style: rowsWithProblems.has(r.row) || r.record === null ? { background: '#fff1f0' } : undefined,
        })}
        columns={[
          { title: t('imports.row'), dataIndex: 'row', width: 64 },
          ...view.headers.map((header, index) => ({
            title: header,
            key: header,
            render: (_: unknown, r: Row) => {
              const messages = byCell.get(`${r.row}|${header}`);
              const text = r.cells[index] ?? '';
              return messages ? (
                <Tooltip title={messages.join('；')}>
                  <Typography.Text type="danger" underline data-testid="problem-cell">
                    {text || '∅'}
                  </Typography.Text>
                </Tooltip>
              ) : (
                text
              );
            },
          })),
          {
            title: t('imports.stored'),
            key: 'stored',
            render: (_: unknown, r: Row) =>
              r.record ? (
                <Tag color="green">{t('imports.willStore')}</Tag>
              ) : (
                <Tag color="red">{t('imports.willRefuse')}</Tag>
              ),
          },
        ]}
      />
      {view.problemCount > 0 && (
        <DataTable
          style={{ marginTop: 12 }}
          rowKey={(p) => `${p.row}|${p.column}|${p.message}`}
          size="small"
          data-testid="problems"
          pagination={{ pageSize: 10 }}
          title={() => t('imports.problems', { count: view.problemCount, named: view.problems.length })}
          dataSource={problems}
          columns={[
            { title: t('imports.row'), dataIndex: 'row', width: 64 },
            { title: t('imports.column'), dataIndex: 'column', width: 160 },
            { title: t('imports.problem'), dataIndex: 'text' },
          ]}
        />
      )}
    </Panel>
  );
}
