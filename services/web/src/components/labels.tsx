import { Tag } from 'antd';
import { labelOf, useLocale } from '../lib/i18n';

// Dark shades with white text: every tag keeps a 4.5:1 contrast (antd's light presets do not).
const GREY = '#595959';
const SEVERITY_COLORS: Record<string, string> = {
  low: GREY,
  medium: '#ad6800',
  high: '#ad2102',
  critical: '#a8071a',
};
const STAGE_COLORS: Record<string, string> = {
  research: '#0050b3',
  packaging: '#1d39c4',
  pricing: '#531dab',
  training: '#006d75',
  launch: '#ad4e00',
  monitoring: '#237804',
  retirement: '#ad2102',
  retired: GREY,
  rejected: GREY,
};

export function SeverityTag({ severity }: { severity: string }) {
  const { labels } = useLocale();
  return <Tag color={SEVERITY_COLORS[severity] ?? GREY}>{labelOf(labels.severity, severity)}</Tag>;
}

export function StageTag({ stage }: { stage: string }) {
  const { labels } = useLocale();
  return <Tag color={STAGE_COLORS[stage] ?? GREY}>{labelOf(labels.stage, stage)}</Tag>;
}
