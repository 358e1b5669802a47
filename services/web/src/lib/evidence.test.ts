import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES, detectStageStalled } from '@tower/domain';
import { evidenceView } from './evidence';

const stalled = detectStageStalled(
  { stage: 'pricing', enteredAt: '2026-10-01', asOf: '2026-11-15' },
  DEFAULT_RULES,
);
const data = stalled.status === 'fired' ? stalled.evidence : {};

describe('evidenceView', () => {
  it('shows the evidence in Chinese from its fields, the facts under Chinese names', () => {
    const view = evidenceView('stage_stalled', { firedOn: '2026-11-15', data }, 'zh-CN');
    expect(view.day).toBe('2026年11月15日');
    expect(view.text).toBe('自 2026年10月1日 起处于“定价”阶段已 45 天（上限 14 天）');
    expect(view.facts).toContainEqual({ key: 'daysInStage', label: '所处天数', value: '45' });
    expect(view.facts).toContainEqual({ key: 'enteredAt', label: '进入日期', value: '2026年10月1日' });
    expect(view.facts.map((f) => f.key)).not.toContain('summary');
  });

  it('shows it in English when the person reads English', () => {
    const view = evidenceView('stage_stalled', { firedOn: '2026-11-15', data }, 'en');
    expect(view.text).toBe('45 days in Pricing since 1 Oct 2026 (limit 14)');
    expect(view.facts).toContainEqual({ key: 'daysInStage', label: 'Days in stage', value: '45' });
  });

  it('falls back to the stored summary for evidence it cannot word, and money in yuan', () => {
    const view = evidenceView(
      'margin_erosion',
      { firedOn: '2026-11-15', data: { summary: 'an older sentence', floorFen: 12345 } },
      'zh-CN',
    );
    expect(view.text).toBe('an older sentence');
    expect(view.facts).toEqual([{ key: 'floorFen', label: '底价', value: '¥123.45' }]);
  });
});
