import { Tag } from 'antd';
import { labelOf, useLocale } from '../lib/i18n';

const SEVERITY_COLORS: Record<string, string> = {
  low: 'default',
  medium: 'gold',
  high: 'orange',
  critical: 'red',
};
const STAGE_COLORS: Record<string, string> = {
  research: 'blue',
  packaging: 'geekblue',
  pricing: 'purple',
  training: 'cyan',
  launch: 'orange',
  monitoring: 'green',
  retirement: 'volcano',
  retired: 'default',
  rejected: 'default',
};

export function SeverityTag({ severity }: { severity: string }) {
  const { labels } = useLocale();
  return <Tag color={SEVERITY_COLORS[severity] ?? 'default'}>{labelOf(labels.severity, severity)}</Tag>;
}

export function StageTag({ stage }: { stage: string }) {
  const { labels } = useLocale();
  return <Tag color={STAGE_COLORS[stage] ?? 'default'}>{labelOf(labels.stage, stage)}</Tag>;
}
