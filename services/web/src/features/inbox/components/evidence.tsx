import { Collapse, Descriptions, Empty, Timeline } from 'antd';

import { formatFen } from '@tower/domain';
import { useTranslation } from 'react-i18next';
import { useLocale } from '../../../lib/i18n';
import { Typography } from '../../../components/typography';

function valueText(key: string, value: unknown, locale: 'zh-CN' | 'en'): string {
  if (typeof value === 'number' && /Fen$/.test(key)) return formatFen(value, locale);
  if (typeof value === 'number' && /Percent$/i.test(key)) return `${Math.round(value * 10) / 10} %`;
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** A task's evidence, newest first: the detector's summary sentence, every fact by name behind a fold. */
export function Evidence({ evidence }: { evidence: { firedOn: string; data: unknown }[] }) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  if (evidence.length === 0) return <Empty description={t('common.none')} />;
  return (
    <Timeline
      items={[...evidence].reverse().map((e) => {
        const data =
          typeof e.data === 'object' && e.data !== null
            ? (e.data as Record<string, unknown>)
            : { value: e.data };
        const { summary, ...facts } = data;
        return {
          key: e.firedOn,
          content: (
            <div>
              <Typography.Text strong>{e.firedOn}</Typography.Text>
              {typeof summary === 'string' && (
                <Typography.Paragraph style={{ margin: '4px 0' }}>{summary}</Typography.Paragraph>
              )}
              <Collapse
                size="small"
                ghost
                items={[
                  {
                    key: 'facts',
                    label: t('task.facts'),
                    children: (
                      <Descriptions
                        size="small"
                        column={1}
                        items={Object.entries(facts).map(([key, value]) => ({
                          key,
                          label: key,
                          children: valueText(key, value, locale),
                        }))}
                      />
                    ),
                  },
                ]}
              />
            </div>
          ),
        };
      })}
    />
  );
}
