import { formatFen, formatInstant } from '../display.js';
import { DOMAIN_LABELS } from '../display.js';
import { wordFor, type Language } from '../words.js';
import { daysBetween } from './dates.js';
import { formatPValue } from './significance.rules.js';

/**
 * A task's evidence in words, in both display languages, built from the structured fields the detectors
 * store (the `summary` they also store is the English sentence of the API and the notifications). Each
 * signal has one wording; evidence that lacks a field its wording needs (stored by an older build) has
 * none, and the caller shows the stored `summary` instead.
 */

/** What the wording needs to know beyond the evidence: names of the ids it mentions. */
export interface EvidenceWordsOptions {
  /** A branch's name from its id (the chain-wide sales dip quotes its branches' dips). */
  readonly branchName?: (branchId: string) => string | undefined;
}

type Data = Readonly<Record<string, unknown>>;

const isRecord = (value: unknown): value is Data =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A field the wording cannot do without is missing: this evidence has no wording. */
class MissingField extends Error {}

function num(data: Data, key: string): number {
  const value = data[key];
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new MissingField(key);
  return value;
}
function str(data: Data, key: string): string {
  const value = data[key];
  if (typeof value !== 'string') throw new MissingField(key);
  return value;
}
function rec(data: Data, key: string): Data {
  const value = data[key];
  if (!isRecord(value)) throw new MissingField(key);
  return value;
}
function list(data: Data, key: string): Data[] {
  const value = data[key];
  if (!Array.isArray(value)) throw new MissingField(key);
  return value.filter(isRecord);
}
const optionalRecord = (data: Data, key: string): Data | undefined =>
  isRecord(data[key]) ? data[key] : undefined;
const optionalString = (data: Data, key: string): string | undefined =>
  typeof data[key] === 'string' && data[key] !== '' ? data[key] : undefined;

const MONTHS_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A calendar day (`2026-11-03`) in words: `2026年11月3日`, `3 Nov 2026`; anything else as it is. */
export function formatDay(day: string, language: Language): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return day.includes('T') ? formatInstant(day) : day;
  const [, year, month, date] = match;
  return language === 'zh'
    ? `${year}年${Number(month)}月${Number(date)}日`
    : `${Number(date)} ${MONTHS_EN[Number(month) - 1]} ${year}`;
}

const locale = (language: Language) => (language === 'zh' ? 'zh-CN' : 'en');
const money = (fen: number, language: Language) => formatFen(fen, locale(language));
const percent = (value: number, language: Language) =>
  `${Math.round(value * 10) / 10}${language === 'zh' ? '%' : ' %'}`;
const count = (value: number, language: Language) =>
  value.toLocaleString(language === 'zh' ? 'zh-CN' : 'en-US');
const inclusiveDays = (window: Data) => daysBetween(str(window, 'from'), str(window, 'to')) + 1;

/** How likely a p-value's event is by chance, as a person reads it. */
function chance(p: number, what: 'drop' | 'complaints', language: Language): string {
  if (language === 'zh') {
    const it = what === 'drop' ? '这样的降幅' : '这么多投诉';
    if (p >= 0.5) return `${it}属正常波动`;
    if (p < 1e-9) return `${it}几乎不可能是偶然`;
    return `${it}偶然出现的概率约为 ${count(Math.round(1 / p), language)} 分之一`;
  }
  const it = what === 'drop' ? 'a drop this large' : 'so many';
  if (p >= 0.5) return `${it} is ordinary`;
  if (p < 1e-9) return `${it} practically never happens by chance`;
  return `${it} happens by chance about 1 time in ${count(Math.round(1 / p), language)}`;
}

function salesDip(data: Data, language: Language, options: EvidenceWordsOptions): string {
  const zh = language === 'zh';
  const window = rec(data, 'window');
  const from = formatDay(str(window, 'from'), language);
  const to = formatDay(str(window, 'to'), language);
  const windowDays = num(data, 'windowDays');
  const comparableDays = num(data, 'comparableDays');
  const excluded = Array.isArray(data.excludedDates) ? data.excludedDates.length : 0;
  const units = count(num(data, 'units'), language);
  const expected = count(num(data, 'expectedUnits'), language);
  const drop = percent(num(data, 'dropPercent'), language);
  const weeks = num(data, 'baselineWeeks');
  const perWeek = count(num(data, 'baselineUnitsPerWeek'), language);
  const p = num(data, 'pValue');
  const significance = formatPValue(num(data, 'significance'));
  const test = str(data, 'test');
  const isChain = data.scope === 'chain';
  const tightening = optionalRecord(data, 'tightening');
  const falseAlarms = tightening && typeof tightening.falseAlarms === 'number' ? tightening.falseAlarms : 0;
  const held = typeof data.persistenceDays === 'number' ? data.persistenceDays : undefined;
  const branchId = optionalString(data, 'branchId');
  const branch = branchId ? (options.branchName?.(branchId) ?? branchId) : undefined;

  if (zh) {
    const over =
      comparableDays === windowDays
        ? `${from}至${to}共 ${windowDays} 天`
        : `${from}至${to}的 ${windowDays} 天中可比的 ${comparableDays} 天（剔除 ${excluded} 个节假日/促销日）`;
    const why = data.longWindow === true ? `；每周约 ${perWeek} 件，销量太少，改按 ${windowDays} 天判断` : '';
    const testName = test === 'poisson' ? '泊松检验' : '负二项检验（基线各周波动偏大）';
    return (
      `${branch ? `${branch}也在下滑：` : ''}${isChain ? '全部院区' : '本院区'}${over}售出 ${units} 件，` +
      `预期 ${expected} 件，低 ${drop}${why}；按此前 ${weeks} 周的波动，${chance(p, 'drop', language)}` +
      `（${testName}：p = ${formatPValue(p)}，显著性 ${significance}` +
      `${falseAlarms > 0 ? `，因 ${falseAlarms} 次误报已收紧` : ''}）` +
      `${held === undefined ? '' : held <= 1 ? '；判断当日成立' : `；已连续 ${held} 天`}`
    );
  }
  const over =
    comparableDays === windowDays
      ? `the ${windowDays} days ${from} to ${to}`
      : `${comparableDays} comparable days of the ${windowDays} from ${from} to ${to} (${excluded} holiday/promotion days left out)`;
  const why =
    data.longWindow === true
      ? `, a ${windowDays}-day window because about ${perWeek} units a week are too few to judge a shorter one`
      : '';
  const testName =
    test === 'poisson' ? 'Poisson' : 'negative binomial, the baseline weeks being over-dispersed';
  return (
    `${branch ? `At ${branch} too: ` : ''}${units} units sold ${isChain ? 'across all branches' : 'at this branch'} ` +
    `against ${expected} expected over ${over} (${drop} below${why}); ${chance(p, 'drop', language)} ` +
    `under the noise of the ${weeks} weeks before (${testName}: p = ${formatPValue(p)}, significance ${significance}` +
    `${falseAlarms > 0 ? `, tightened after ${falseAlarms} false alarms` : ''})` +
    `${held === undefined ? '' : held <= 1 ? '; it holds on the day judged' : `; it has held ${held} consecutive days`}`
  );
}

function targetMiss(data: Data, language: Language): string {
  const zh = language === 'zh';
  const parts: string[] = [];
  for (const metric of ['units', 'revenueFen'] as const) {
    const m = optionalRecord(data, metric);
    if (!m) continue;
    const show = (v: number) => (metric === 'units' ? count(v, language) : money(v, language));
    const actual = show(num(m, 'actual'));
    const proRated = show(num(m, 'proRated'));
    const share = percent(num(m, 'percentOfProRated'), language);
    parts.push(
      zh
        ? `${metric === 'units' ? '销量' : '收入'} ${actual}${metric === 'units' ? ' 件' : ''}，为按进度目标 ${proRated} 的 ${share}`
        : `${metric === 'units' ? 'units' : 'revenue'} ${actual} ${metric === 'units' ? 'are' : 'is'} ${share} of the pro-rated ${proRated}`,
    );
  }
  if (parts.length === 0) throw new MissingField('units');
  const month = str(data, 'month');
  const elapsed = num(data, 'daysElapsed');
  const days = num(data, 'daysInMonth');
  const threshold = percent(num(data, 'thresholdPercent'), language);
  return zh
    ? `${parts.join('；')}（${month} 已过 ${elapsed}/${days} 天，阈值 ${threshold}）`
    : `${parts.join('; ')} after ${elapsed} of ${days} days of ${month} (threshold ${threshold})`;
}

function complaintSpike(data: Data, language: Language): string {
  const zh = language === 'zh';
  const asOf = formatDay(str(data, 'asOf'), language);
  const countDays = inclusiveDays(rec(data, 'countWindow'));
  const rateDays = inclusiveDays(rec(data, 'rateWindow'));
  const inCount = num(data, 'complaintsInCountWindow');
  const inRate = num(data, 'complaintsInRateWindow');
  const orders = num(data, 'ordersInRateWindow');
  const firedOn = Array.isArray(data.firedOn) ? data.firedOn : [];
  const own = optionalRecord(data, 'ownRate');
  const ownText = own
    ? zh
      ? `，按本院区以往每百单 ${num(own, 'per100Orders')} 起的水平预期 ${num(own, 'expectedComplaints')} 起` +
        `（此前 ${num(own, 'baselineDays')} 天 ${count(num(own, 'baselineOrders'), language)} 单中 ${num(own, 'baselineComplaints')} 起）；` +
        `${chance(num(own, 'pValue'), 'complaints', language)}（p = ${formatPValue(num(own, 'pValue'))}，显著性 ${formatPValue(num(own, 'significance'))}）`
      : ` against ${num(own, 'expectedComplaints')} expected at the branch's own ${num(own, 'per100Orders')} per 100 orders ` +
        `(${num(own, 'baselineComplaints')} in ${count(num(own, 'baselineOrders'), language)} orders over the ${num(own, 'baselineDays')} days before); ` +
        `${chance(num(own, 'pValue'), 'complaints', language)} (p = ${formatPValue(num(own, 'pValue'))}, significance ${formatPValue(num(own, 'significance'))})`
    : '';
  const countPart = zh
    ? `截至${asOf}的 ${countDays} 天内投诉 ${inCount} 起${ownText}`
    : `${inCount} complaints in the ${countDays} days to ${asOf}${ownText}`;
  const rate = typeof data.ratePer100Orders === 'number' ? data.ratePer100Orders : 0;
  const ratePart = zh
    ? `截至${asOf}的 ${rateDays} 天内每百单投诉 ${rate} 起（${count(orders, language)} 单中 ${inRate} 起）`
    : `${rate} complaints per 100 orders (${inRate} in ${count(orders, language)} orders) in the ${rateDays} days to ${asOf}`;
  const parts = [
    ...(firedOn.includes('count') ? [countPart] : []),
    ...(firedOn.includes('rate') ? [ratePart] : []),
  ];
  return (parts.length > 0 ? parts : [countPart]).join(zh ? '；' : '; ');
}

function severeComplaint(data: Data, language: Language): string {
  const labels = DOMAIN_LABELS[locale(language)];
  const category = str(data, 'category');
  const severity = str(data, 'severity');
  const categoryWord = (labels.complaintCategory as Record<string, string>)[category] ?? category;
  const severityWord = (labels.severity as Record<string, string>)[severity] ?? severity;
  const at = formatDay(str(data, 'occurredAt'), language);
  return language === 'zh'
    ? `严重投诉：${categoryWord}，严重程度${severityWord}，发生于 ${at}`
    : `severe complaint: ${categoryWord.toLowerCase()}, severity ${severityWord.toLowerCase()}, on ${at}`;
}

function marginErosion(data: Data, language: Language): string {
  const zh = language === 'zh';
  const floor = money(num(data, 'floorFen'), language);
  if (Array.isArray(data.pricesUnderFloor)) {
    const under = list(data, 'pricesUnderFloor');
    const labels = DOMAIN_LABELS[locale(language)].priceType as Record<string, string>;
    const prices = under
      .map((p) => `${labels[str(p, 'type')] ?? str(p, 'type')} ${money(num(p, 'amountFen'), language)}`)
      .join(zh ? '、' : ', ');
    const effective = optionalString(data, 'effectiveOn');
    if (under.length === 0) {
      return zh ? `所有价格均不低于底价 ${floor}` : `every price is at or above the floor of ${floor}`;
    }
    return zh
      ? `成本变动${effective ? `（${formatDay(effective, language)}起）` : ''}后，${under.length} 个价格低于新底价 ${floor}：${prices}`
      : `${under.length} price(s) under the new floor of ${floor}${effective ? ` from ${formatDay(effective, language)}` : ''}: ${prices}`;
  }
  const window = rec(data, 'window');
  const days = inclusiveDays(window);
  const asOf = formatDay(str(window, 'to'), language);
  const units = num(data, 'units');
  const revenueFen = num(data, 'revenueFen');
  const average = money(num(data, 'averagePriceFen'), language);
  const isBelow = revenueFen < num(data, 'floorFen') * units;
  return zh
    ? `截至${asOf}的 ${days} 天实际成交均价 ${average}，${isBelow ? '低于' : '不低于'}底价 ${floor}（${count(units, language)} 件，收入 ${money(revenueFen, language)}）`
    : `realised average price ${average} ${isBelow ? 'is below' : 'holds at or above'} the floor of ${floor} over the ${days} days to ${asOf} (${count(units, language)} units, ${money(revenueFen, language)})`;
}

function competitorUndercut(data: Data, language: Language): string {
  const zh = language === 'zh';
  const ours = money(num(data, 'ourPriceFen'), language);
  const threshold = percent(num(data, 'thresholdPercent'), language);
  const undercuts = list(data, 'undercuts');
  if (undercuts.length === 0) {
    const compared = num(data, 'competitorsCompared');
    return zh
      ? `当前没有竞品价格比我们的 ${ours} 低 ${threshold} 以上（比较了 ${compared} 个）`
      : `no current competitor price is ${threshold} or more below our ${ours} (${compared} compared)`;
  }
  const each = undercuts.map((o) => {
    const platform = optionalString(o, 'platform');
    const name = `${str(o, 'competitor')}${platform ? (zh ? `（${platform}）` : ` (${platform})`) : ''}`;
    const price = money(num(o, 'priceFen'), language);
    const on = formatDay(str(o, 'observedAt'), language);
    return zh ? `${name}${platform ? '' : ' '}${price}（${on}）` : `${name} ${price} on ${on}`;
  });
  return zh
    ? `${undercuts.length} 个竞品价格比我们的 ${ours} 低至少 ${threshold}：${each.join('、')}`
    : `${undercuts.length} competitor price(s) at least ${threshold} below our ${ours}: ${each.join(', ')}`;
}

function stageStalled(data: Data, language: Language): string {
  const stage = wordFor('stages', str(data, 'stage'), language);
  const days = num(data, 'daysInStage');
  const max = num(data, 'maxDays');
  const since = formatDay(str(data, 'enteredAt'), language);
  return language === 'zh'
    ? `自 ${since} 起处于“${stage}”阶段已 ${days} 天（上限 ${max} 天）`
    : `${days} days in ${stage} since ${since} (limit ${max})`;
}

function launchItemOverdue(data: Data, language: Language): string {
  const zh = language === 'zh';
  const title = (zh ? optionalString(data, 'titleZh') : undefined) ?? optionalString(data, 'title');
  const due = formatDay(str(data, 'dueOn'), language);
  const status = str(data, 'status');
  const overdue = num(data, 'daysOverdue');
  const what =
    status !== 'pending'
      ? zh
        ? `事项已${status === 'done' ? '完成' : '取消'}（应于 ${due} 完成）`
        : `item ${status} (due ${due})`
      : zh
        ? `应于 ${due} 完成，已逾期 ${overdue} 天`
        : `item due ${due} is ${overdue} day(s) overdue`;
  return title ? `${title}${zh ? '：' : ': '}${what}` : what;
}

function quarterlyReview(data: Data, language: Language): string {
  const quarter = str(data, 'quarter');
  const department = str(data, 'departmentName');
  const products = num(data, 'products');
  const suggestions = Array.isArray(data.suggestions) ? data.suggestions.length : 0;
  return language === 'zh'
    ? `${quarter} ${department}：${products} 个产品，${suggestions} 条建议`
    : `${quarter} ${department}: ${products} product(s), ${suggestions} suggestion(s)`;
}

const WORDING: Readonly<
  Record<string, (data: Data, language: Language, options: EvidenceWordsOptions) => string>
> = {
  sales_dip: salesDip,
  target_miss: targetMiss,
  complaint_spike: complaintSpike,
  severe_complaint: severeComplaint,
  margin_erosion: marginErosion,
  competitor_undercut: competitorUndercut,
  stage_stalled: stageStalled,
  launch_item_overdue: launchItemOverdue,
  quarterly_review: quarterlyReview,
};

/**
 * One piece of a task's evidence in `language`, from its structured fields; undefined when the signal is
 * unknown or the evidence lacks a field its wording needs (then show the stored `summary`).
 */
export function evidenceText(
  signal: string,
  data: unknown,
  language: Language,
  options: EvidenceWordsOptions = {},
): string | undefined {
  const wording = Object.hasOwn(WORDING, signal) ? WORDING[signal] : undefined;
  if (!wording || !isRecord(data)) return undefined;
  try {
    return wording(data, language, options);
  } catch (error) {
    if (error instanceof MissingField) return undefined;
    throw error;
  }
}
