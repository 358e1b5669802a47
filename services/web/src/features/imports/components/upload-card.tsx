import { Alert, Button, Input, Select, Space, Upload } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fieldProblemWords } from '../../../lib/form-errors';
import { useLocale } from '../../../lib/i18n';
import { ApiError } from '../../../lib/api';
import { errorText } from '../../../components/page-state';
import { useUpload, type ImportView } from '../api/imports';
import { Panel } from '../../../components/panel';

const KINDS = ['sales', 'complaints', 'competitor-prices', 'targets'] as const;

export function UploadCard({ onUploaded }: { onUploaded: (view: ImportView) => void }) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  const colon = locale === 'zh-CN' ? '：' : ': ';
  const upload = useUpload();
  const [kind, setKind] = useState<string>('sales');
  const [sheet, setSheet] = useState('');
  const [file, setFile] = useState<File | undefined>();
  const isXlsx = file?.name.toLowerCase().endsWith('.xlsx') ?? false;
  const problems = upload.error instanceof ApiError ? upload.error.fields : [];

  return (
    <Panel size="small" title={t('imports.upload')}>
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Space wrap>
          <Select
            aria-label={t('imports.kind')}
            value={kind}
            onChange={setKind}
            style={{ width: 200 }}
            options={KINDS.map((k) => ({ value: k, label: t(`imports.kinds.${k}`) }))}
          />
          {isXlsx && (
            <Input
              aria-label={t('imports.sheet')}
              placeholder={t('imports.sheetHint')}
              value={sheet}
              onChange={(e) => setSheet(e.target.value)}
              style={{ width: 220 }}
            />
          )}
        </Space>
        <Upload.Dragger
          accept=".csv,.xlsx"
          maxCount={1}
          beforeUpload={(chosen) => {
            setFile(chosen);
            return false;
          }}
          onRemove={() => setFile(undefined)}
          fileList={file ? [{ uid: '1', name: file.name, status: 'done' }] : []}
        >
          <p>{t('imports.drop')}</p>
        </Upload.Dragger>
        <Button
          type="primary"
          disabled={!file}
          loading={upload.isPending}
          onClick={() =>
            file &&
            upload.mutate(
              { kind, file, ...(isXlsx && sheet ? { sheet } : {}) },
              { onSuccess: (view) => onUploaded(view) },
            )
          }
        >
          {t('imports.send')}
        </Button>
        {upload.isError && (
          <Alert
            type="error"
            showIcon
            title={errorText(upload.error, t)}
            description={problems
              .map(
                (p) =>
                  `${t(`imports.uploadField.${p.field}`, { defaultValue: p.field })}${colon}${fieldProblemWords(p, locale)}`,
              )
              .join(locale === 'zh-CN' ? '；' : '; ')}
          />
        )}
      </Space>
    </Panel>
  );
}
