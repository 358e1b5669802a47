import { Button, Form, Input } from 'antd';

import { CLAIM_FIELDS, SHEET_TEXT_FIELDS, type SheetTextField } from '@tower/domain';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../../components/page-state';
import { fieldProblemWords } from '../../../lib/form-errors';
import { ApiError } from '../../../lib/api';
import type { ProductDetail } from '../../../lib/api-types';
import { useLocale } from '../../../lib/i18n';
import { useProductActions } from '../api/products';
import { OverPromiseField } from './over-promise-field';
import { useMessage } from '../../../components/message';
import { Typography } from '../../../components/typography';

type Draft = Record<SheetTextField, string> & { indications: string; contraindications: string };

function draftOf(product: ProductDetail): Draft {
  const sheet = product.sheet;
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  const list = (v: unknown) => (Array.isArray(v) ? (v as string[]).join('\n') : '');
  return {
    ...(Object.fromEntries(SHEET_TEXT_FIELDS.map((f) => [f, text(sheet[f])])) as Record<
      SheetTextField,
      string
    >),
    indications: list(sheet.indications),
    contraindications: list(sheet.contraindications),
  };
}

/** The product sheet; the draft is local state, so a failed save loses nothing typed. */
export function SheetEditor({ product }: { product: ProductDetail }) {
  const { t } = useTranslation();
  const { labels, locale } = useLocale();
  const message = useMessage();
  const actions = useProductActions(product.id);
  const [draft, setDraft] = useState<Draft>(() => draftOf(product));
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const set = (field: keyof Draft) => (value: string) => setDraft((d) => ({ ...d, [field]: value }));

  const save = () => {
    const lines = (v: string) =>
      v
        .split('\n')
        .map((s) => s.trim())
        .filter(Boolean);
    const body = {
      ...Object.fromEntries(
        SHEET_TEXT_FIELDS.filter((f) => draft[f].trim() !== '').map((f) => [f, draft[f]]),
      ),
      indications: lines(draft.indications),
      contraindications: lines(draft.contraindications),
    };
    setFieldErrors({});
    actions.saveSheet.mutate(body, {
      onSuccess: () => void message.success(t('common.saved')),
      onError: (e) => {
        if (e instanceof ApiError) {
          setFieldErrors(
            Object.fromEntries(
              e.fields.map((f) => [
                f.field.replace(/^\//, '').split('/')[0] ?? '',
                fieldProblemWords(f, locale),
              ]),
            ),
          );
        }
        void message.error(`${errorText(e, t)} ${t('common.unsavedKept')}`);
      },
    });
  };

  return (
    <Form layout="vertical" style={{ maxWidth: 900 }}>
      <Typography.Paragraph type="secondary">{t('product.sheetHint')}</Typography.Paragraph>
      {SHEET_TEXT_FIELDS.map((field) => (
        <Form.Item
          key={field}
          label={labels.sheetField[field]}
          htmlFor={`sheet-${field}`}
          validateStatus={fieldErrors[field] ? 'error' : undefined}
          help={fieldErrors[field]}
        >
          {CLAIM_FIELDS.includes(field) ? (
            <OverPromiseField
              id={`sheet-${field}`}
              label={labels.sheetField[field]}
              value={draft[field]}
              onChange={set(field)}
            />
          ) : (
            <Input.TextArea
              id={`sheet-${field}`}
              aria-label={labels.sheetField[field]}
              rows={2}
              value={draft[field]}
              onChange={(e) => set(field)(e.target.value)}
            />
          )}
        </Form.Item>
      ))}
      {(['indications', 'contraindications'] as const).map((field) => (
        <Form.Item
          key={field}
          label={`${labels.sheetField[field]}（${t('product.listHint')}）`}
          htmlFor={`sheet-${field}`}
          validateStatus={fieldErrors[field] ? 'error' : undefined}
          help={fieldErrors[field]}
        >
          <Input.TextArea
            id={`sheet-${field}`}
            aria-label={labels.sheetField[field]}
            rows={3}
            value={draft[field]}
            onChange={(e) => set(field)(e.target.value)}
          />
        </Form.Item>
      ))}
      <Button type="primary" onClick={save} loading={actions.saveSheet.isPending}>
        {t('common.save')}
      </Button>
    </Form>
  );
}
