import { Alert, Input } from 'antd';

import { overPromiseRanges } from '@tower/domain';
import { Fragment } from 'react';
import { useTranslation } from 'react-i18next';
import { Typography } from '../../../components/typography';

/**
 * A claim field of the sheet: as the person types, every over-promise term (the packaging gate's own
 * patterns, from @tower/domain) is marked in a preview under the text and named in a warning.
 */
export function OverPromiseField({
  id,
  label,
  value,
  onChange,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
}) {
  const { t } = useTranslation();
  const ranges = overPromiseRanges(value);
  const terms = [...new Set(ranges.map((r) => r.term))];
  return (
    <div>
      <Input.TextArea
        id={id}
        aria-label={label}
        rows={3}
        value={value}
        status={ranges.length > 0 ? 'warning' : undefined}
        onChange={(e) => onChange(e.target.value)}
      />
      {ranges.length > 0 && (
        <>
          <Typography.Paragraph
            data-testid={`${id}-preview`}
            style={{ margin: '6px 0', whiteSpace: 'pre-wrap' }}
          >
            {split(value, ranges).map((part, i) =>
              part.banned ? (
                <mark
                  key={i}
                  data-over-promise={part.text}
                  title={t('product.overPromise')}
                  style={{ background: '#ffccc7', color: '#a8071a' }}
                >
                  {part.text}
                </mark>
              ) : (
                <Fragment key={i}>{part.text}</Fragment>
              ),
            )}
          </Typography.Paragraph>
          <Alert
            type="warning"
            showIcon
            role="alert"
            title={t('product.overPromiseFound', { count: ranges.length, terms: terms.join('、') })}
          />
        </>
      )}
    </div>
  );
}

function split(text: string, ranges: { start: number; end: number }[]) {
  const parts: { text: string; banned: boolean }[] = [];
  let at = 0;
  for (const r of ranges) {
    if (r.start > at) parts.push({ text: text.slice(at, r.start), banned: false });
    parts.push({ text: text.slice(r.start, r.end), banned: true });
    at = r.end;
  }
  if (at < text.length) parts.push({ text: text.slice(at), banned: false });
  return parts;
}
