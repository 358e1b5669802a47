/**
 * The words people see (DOMAIN.md "Words people see"): one table for notifications, CSV reports and
 * the dashboard, so that a label is written once.
 */
import type { Decision, PriceType, Quadrant, Severity, Stage, TaskStatus, Tier } from './vocabulary.js';

export interface Word {
  readonly zh: string;
  readonly en: string;
}
export type Language = keyof Word;

export const WORDS = {
  stages: {
    research: { zh: '市场调研', en: 'Research' },
    packaging: { zh: '再包装', en: 'Packaging' },
    pricing: { zh: '定价', en: 'Pricing' },
    training: { zh: '培训', en: 'Training' },
    launch: { zh: '上线', en: 'Launch' },
    monitoring: { zh: '在售监控', en: 'Monitoring' },
    retirement: { zh: '退市中', en: 'Retiring' },
    retired: { zh: '已退市', en: 'Retired' },
    rejected: { zh: '已否决', en: 'Rejected' },
  } satisfies Record<Stage, Word>,
  tiers: {
    traffic: { zh: '引流款', en: 'Traffic driver' },
    profit: { zh: '利润款', en: 'Profit' },
    flagship: { zh: '主推款', en: 'Flagship' },
    custom: { zh: '定制款', en: 'Custom' },
    package: { zh: '套餐卡项', en: 'Package card' },
  } satisfies Record<Tier, Word>,
  priceTypes: {
    list: { zh: '标准价', en: 'List' },
    activity: { zh: '常规活动价', en: 'Regular activity' },
    first_order: { zh: '首单价', en: 'First order' },
    repurchase: { zh: '复购价', en: 'Repurchase' },
    session_card: { zh: '次卡价', en: 'Session card' },
    flash_sale: { zh: '限时秒杀价', en: 'Flash sale' },
    member: { zh: '会员价', en: 'Member' },
  } satisfies Record<PriceType, Word>,
  signals: {
    sales_dip: { zh: '销量下滑', en: 'Sales dip' },
    target_miss: { zh: '未达目标', en: 'Target miss' },
    complaint_spike: { zh: '投诉激增', en: 'Complaint spike' },
    severe_complaint: { zh: '严重投诉', en: 'Severe complaint' },
    margin_erosion: { zh: '毛利侵蚀', en: 'Margin erosion' },
    competitor_undercut: { zh: '竞品低价', en: 'Competitor undercut' },
    stage_stalled: { zh: '阶段停滞', en: 'Stage stalled' },
    launch_item_overdue: { zh: '上线事项逾期', en: 'Launch item overdue' },
    quarterly_review: { zh: '季度产品塔复盘', en: 'Quarterly product-tower review' },
  },
  decisions: {
    keep: { zh: '保持', en: 'Keep' },
    reprice: { zh: '调价', en: 'Reprice' },
    repackage: { zh: '重新包装', en: 'Repackage' },
    retrain: { zh: '重新培训', en: 'Retrain' },
    promote: { zh: '加推', en: 'Promote' },
    retire: { zh: '退市', en: 'Retire' },
    dismiss: { zh: '不予处理', en: 'Dismiss' },
  } satisfies Record<Decision, Word>,
  severities: {
    low: { zh: '低', en: 'Low' },
    medium: { zh: '中', en: 'Medium' },
    high: { zh: '高', en: 'High' },
    critical: { zh: '危急', en: 'Critical' },
  } satisfies Record<Severity, Word>,
  taskStates: {
    open: { zh: '待处理', en: 'Open' },
    acknowledged: { zh: '已确认', en: 'Acknowledged' },
    resolved: { zh: '已处理', en: 'Resolved' },
    dismissed: { zh: '不予处理', en: 'Dismissed' },
  } satisfies Record<TaskStatus, Word>,
  quadrants: {
    star: { zh: '明星', en: 'Star' },
    cash_cow: { zh: '现金牛', en: 'Cash cow' },
    question_mark: { zh: '问题', en: 'Question mark' },
    dog: { zh: '瘦狗', en: 'Dog' },
  } satisfies Record<Quadrant, Word>,
} as const;

export type WordKind = keyof typeof WORDS;

/** The label of `id` in `kind`, in `language` (the id itself when the table has no entry). */
export function wordFor(kind: WordKind, id: string, language: Language = 'zh'): string {
  const table = WORDS[kind] as Record<string, Word>;
  return Object.hasOwn(table, id) ? table[id]![language] : id;
}

/**
 * A word's text in `language` with each `{name}` replaced by `params[name]` as `paramText` words it
 * (a placeholder without a parameter stays as written).
 */
export function fillWord<V>(
  word: Word,
  language: Language,
  params: Readonly<Record<string, V>>,
  paramText: (name: string, value: V, language: Language) => string,
): string {
  return word[language].replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    return value === undefined ? whole : paramText(name, value, language);
  });
}
