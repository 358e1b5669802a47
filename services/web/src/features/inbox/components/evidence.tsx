import { Descriptions, Empty, Timeline } from 'antd';
import { formatFen } from '@tower/domain';
import { useTranslation } from 'react-i18next';
import { useLocale } from '../../../lib/i18n';

function valueText(key: string, value: unknown, locale: 'zh-CN' | 'en'): string {
  if (typeof value === 'number' && /Fen$/.test(key)) return formatFen(value, locale);
  if (typeof value === 'number' && /Percent$/i.test(key)) return `${Math.round(value * 10) / 10} %`;
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** A task's evidence, one entry per day the signal fired, each fact by name (money in ¥). */
export function Evidence({ evidence }: { evidence: { firedOn: string; data: unknown }[] }) {
  const { t } = useTranslation();
  const { locale } = useLocale();
  if (evidence.length === 0) return <Empty description={t('common.none')} />;
  return (
    <Timeline
      items={evidence.map((e) => ({
        key: e.firedOn,
        content: (
          <Descriptions
            size="small"
            column={2}
            title={e.firedOn}
            items={Object.entries(
              typeof e.data === 'object' && e.data !== null
                ? (e.data as Record<string, unknown>)
                : { value: e.data },
            ).map(([key, value]) => ({ key, label: key, children: valueText(key, value, locale) }))}
          />
        ),
      }))}
    />
  );
}
