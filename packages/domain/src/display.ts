import { OVER_PROMISE_TERMS } from './over-promise.rules.js';
import { WORDS, type Language, type Word } from './words.js';
import type {
  CalendarDayKind,
  ChannelKind,
  ComplaintCategory,
  Decision,
  PriceType,
  Role,
  Severity,
  Signal,
  SheetTextField,
  Stage,
  TaskStatus,
  Tier,
  TraineeRole,
} from './vocabulary.js';

/** The languages people read Product Tower in; zh-CN first. */
export const DISPLAY_LOCALES = ['zh-CN', 'en'] as const;
export type DisplayLocale = (typeof DISPLAY_LOCALES)[number];

/** The calendar Product Tower's days belong to (DOMAIN.md: dates are Asia/Shanghai calendar days). */
export const CHAIN_TIME_ZONE = 'Asia/Shanghai';

/** Integer fen as yuan with the ¥ sign and two decimals: 123456 → "¥1,234.56", -5 → "-¥0.05". */
export function formatFen(fen: number, locale: DisplayLocale = 'zh-CN'): string {
  if (!Number.isFinite(fen)) return '—';
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(Math.round(fen));
  const yuan = Math.floor(abs / 100);
  const cents = String(abs % 100).padStart(2, '0');
  return `${sign}¥${yuan.toLocaleString(locale === 'zh-CN' ? 'zh-CN' : 'en-US')}.${cents}`;
}

/** Yuan typed by a person ("1,234.5", "¥88") as integer fen; undefined when it is not an amount. */
export function parseYuanToFen(text: string): number | undefined {
  const cleaned = text.replace(/[¥,\s，]/g, '');
  if (!/^\d+(\.\d{0,2})?$/.test(cleaned)) return undefined;
  const [whole = '0', fraction = ''] = cleaned.split('.');
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
}

const partsOf = (instant: Date): Record<string, string> =>
  Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone: CHAIN_TIME_ZONE,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(instant)
      .map((p) => [p.type, p.value]),
  );

/** The Asia/Shanghai calendar day of an instant, `YYYY-MM-DD` (UTC+8 all year, no daylight saving). */
export function shanghaiDay(instant: Date | string): string {
  const at = typeof instant === 'string' ? new Date(instant) : instant;
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

/** An instant as Asia/Shanghai wall time, `YYYY-MM-DD HH:mm` (the same in every locale). */
export function formatInstant(instant: Date | string): string {
  const date = typeof instant === 'string' ? new Date(instant) : instant;
  if (Number.isNaN(date.getTime())) return '—';
  const p = partsOf(date);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

/** Labels of the domain's ids in each display language: one table, shared by every screen. */
export interface DomainLabels {
  readonly stage: Record<Stage, string>;
  readonly tier: Record<Tier, string>;
  readonly role: Record<Role, string>;
  readonly signal: Record<Signal | 'quarterly_review', string>;
  readonly severity: Record<Severity, string>;
  readonly decision: Record<Decision, string>;
  readonly taskStatus: Record<TaskStatus, string>;
  readonly priceType: Record<PriceType, string>;
  readonly traineeRole: Record<TraineeRole, string>;
  readonly channelKind: Record<ChannelKind, string>;
  readonly complaintCategory: Record<ComplaintCategory, string>;
  readonly calendarDayKind: Record<CalendarDayKind, string>;
  readonly sheetField: Record<SheetTextField | 'indications' | 'contraindications', string>;
  readonly event: Record<string, string>;
}

/** One language's column of a {@link WORDS} table: the labels are written once, in words.ts. */
function wordsIn<K extends string>(table: Readonly<Record<K, Word>>, language: Language): Record<K, string> {
  return Object.fromEntries(Object.entries<Word>(table).map(([id, word]) => [id, word[language]])) as Record<
    K,
    string
  >;
}

export const DOMAIN_LABELS: Readonly<Record<DisplayLocale, DomainLabels>> = {
  'zh-CN': {
    stage: wordsIn(WORDS.stages, 'zh'),
    tier: wordsIn(WORDS.tiers, 'zh'),
    role: {
      product_manager: '产品经理',
      marketing_manager: '营销经理',
      department_manager: '科室经理',
      compliance_officer: '合规',
      director: '运营总监',
      admin: '管理员',
    },
    signal: wordsIn(WORDS.signals, 'zh'),
    severity: wordsIn(WORDS.severities, 'zh'),
    decision: wordsIn(WORDS.decisions, 'zh'),
    taskStatus: wordsIn(WORDS.taskStates, 'zh'),
    priceType: wordsIn(WORDS.priceTypes, 'zh'),
    traineeRole: { doctor: '医生', consultant: '咨询师', nurse: '护士' },
    channelKind: { wecom: '企业微信', dingtalk: '钉钉', feishu: '飞书', webhook: 'Webhook' },
    complaintCategory: {
      effect_below_expectation: '效果未达预期',
      adverse_reaction: '不良反应',
      medical_dispute: '医疗纠纷',
      service: '服务',
      price: '价格',
      environment: '环境',
    },
    calendarDayKind: { holiday: '节假日', workday: '调休工作日', promotion: '促销日' },
    sheetField: {
      spec: '规格',
      certification: '资质证明',
      ingredients: '成分',
      efficacy: '功效',
      targetCustomers: '目标客群',
      sellingPoints: '卖点',
      comparison: '竞品对比',
      precautions: '注意事项',
      clinicalInfo: '临床信息',
      salesScripts: '销售话术',
      indications: '适应症',
      contraindications: '禁忌症',
    },
    event: {
      APPROVE_RESEARCH: '通过调研',
      REJECT: '否决',
      APPROVE_PACKAGING: '通过包装审核',
      APPROVE_BELOW_FLOOR: '批准低于底价',
      APPROVE_PRICING: '通过定价',
      COMPLETE_TRAINING: '完成培训',
      LAUNCH: '上市',
      REPRICE: '重新定价',
      REPACKAGE: '重新包装',
      RETRAIN: '重新培训',
      RETIRE: '退市',
      COMPLETE_RETIREMENT: '完成退市',
      // Review decisions that move nothing, shown in the history beside the transitions.
      KEEP: WORDS.decisions.keep.zh,
      PROMOTE: WORDS.decisions.promote.zh,
    },
  },
  en: {
    stage: wordsIn(WORDS.stages, 'en'),
    tier: wordsIn(WORDS.tiers, 'en'),
    role: {
      product_manager: 'Product manager',
      marketing_manager: 'Marketing manager',
      department_manager: 'Department manager',
      compliance_officer: 'Compliance officer',
      director: 'Director',
      admin: 'Admin',
    },
    signal: wordsIn(WORDS.signals, 'en'),
    severity: wordsIn(WORDS.severities, 'en'),
    decision: wordsIn(WORDS.decisions, 'en'),
    taskStatus: wordsIn(WORDS.taskStates, 'en'),
    priceType: wordsIn(WORDS.priceTypes, 'en'),
    traineeRole: { doctor: 'Doctor', consultant: 'Consultant', nurse: 'Nurse' },
    channelKind: { wecom: 'WeCom', dingtalk: 'DingTalk', feishu: 'Feishu', webhook: 'Webhook' },
    complaintCategory: {
      effect_below_expectation: 'Effect below expectation',
      adverse_reaction: 'Adverse reaction',
      medical_dispute: 'Medical dispute',
      service: 'Service',
      price: 'Price',
      environment: 'Environment',
    },
    calendarDayKind: { holiday: 'Holiday', workday: 'Make-up workday', promotion: 'Promotion' },
    sheetField: {
      spec: 'Specification',
      certification: 'Certification',
      ingredients: 'Ingredients',
      efficacy: 'Efficacy',
      targetCustomers: 'Target customers',
      sellingPoints: 'Selling points',
      comparison: 'Comparison',
      precautions: 'Precautions',
      clinicalInfo: 'Clinical information',
      salesScripts: 'Sales scripts',
      indications: 'Indications',
      contraindications: 'Contraindications',
    },
    event: {
      APPROVE_RESEARCH: 'Approve research',
      REJECT: 'Reject',
      APPROVE_PACKAGING: 'Approve packaging',
      APPROVE_BELOW_FLOOR: 'Approve below floor',
      APPROVE_PRICING: 'Approve pricing',
      COMPLETE_TRAINING: 'Complete training',
      LAUNCH: 'Launch',
      REPRICE: 'Reprice',
      REPACKAGE: 'Repackage',
      RETRAIN: 'Retrain',
      RETIRE: 'Retire',
      COMPLETE_RETIREMENT: 'Complete retirement',
      KEEP: WORDS.decisions.keep.en,
      PROMOTE: WORDS.decisions.promote.en,
    },
  },
};

/**
 * Every over-promise term in one text, as [start, end) ranges in order, for highlighting as a person
 * types. Uses the same {@link OVER_PROMISE_TERMS} patterns as the packaging gate.
 */
export function overPromiseRanges(text: string): { start: number; end: number; term: string }[] {
  const ranges: { start: number; end: number; term: string }[] = [];
  for (const { term, pattern } of OVER_PROMISE_TERMS) {
    const global = new RegExp(
      pattern.source,
      pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`,
    );
    for (const match of text.matchAll(global)) {
      if (match[0].length === 0) continue;
      ranges.push({ start: match.index, end: match.index + match[0].length, term });
    }
  }
  ranges.sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: typeof ranges = [];
  for (const range of ranges) {
    const last = merged.at(-1);
    if (last && range.start < last.end) {
      last.end = Math.max(last.end, range.end);
    } else {
      merged.push({ ...range });
    }
  }
  return merged;
}
