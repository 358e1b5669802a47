import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES, type Rules } from '../rules.js';
import { WORDS } from '../words.js';
import { detectCompetitorUndercut } from './competitor-undercut.detector.js';
import { detectComplaintSpike } from './complaint-spike.detector.js';
import { addDays, eachDay } from './dates.js';
import type { Detection, Evidence } from './detection.js';
import { evidenceText, formatDay } from './evidence.words.js';
import { detectLaunchItemOverdue } from './launch-item-overdue.detector.js';
import { detectCostChangeErosion, detectMarginErosion } from './margin-erosion.detector.js';
import { detectSalesDip } from './sales-dip.detector.js';
import { detectSevereComplaint } from './severe-complaint.detector.js';
import { detectStageStalled } from './stage-stalled.detector.js';
import { detectTargetMiss } from './target-miss.detector.js';

const AS_OF = '2026-11-15';
const ONE_DAY: Rules = { ...DEFAULT_RULES, salesDip: { ...DEFAULT_RULES.salesDip, persistenceDays: 1 } };

function evidenceOf(detection: Detection): Evidence {
  if (detection.status !== 'fired') throw new Error(`not fired: ${JSON.stringify(detection)}`);
  return detection.evidence;
}

const WEEKS = DEFAULT_RULES.salesDip.baselineWeeks;
/** The baseline weeks at 10 a day, then the 7 days to AS_OF at 6 a day: a 40 % dip. */
const dipSeries = eachDay(addDays(AS_OF, -6 - 7 * WEEKS), AS_OF).map((date) => ({
  date,
  units: date < addDays(AS_OF, -6) ? 10 : 6,
}));

/** One fired evidence per signal, from the detectors themselves. */
const FIRED: Record<string, Evidence> = {
  sales_dip: evidenceOf(detectSalesDip({ asOf: AS_OF, daily: dipSeries, excludedDates: [] }, ONE_DAY)),
  target_miss: evidenceOf(
    detectTargetMiss(
      {
        asOf: AS_OF,
        month: '2026-11',
        target: { units: 300, revenueFen: 3_000_000 },
        monthToDate: { units: 60, revenueFen: 600_000 },
      },
      DEFAULT_RULES,
    ),
  ),
  complaint_spike: evidenceOf(
    detectComplaintSpike(
      { asOf: AS_OF, complaintDates: ['2026-11-09', '2026-11-12', '2026-11-15'], ordersInRateWindow: 10 },
      DEFAULT_RULES,
    ),
  ),
  severe_complaint: evidenceOf(
    detectSevereComplaint(
      { complaintId: 'c-1', category: 'adverse_reaction', severity: 'high', occurredAt: '2026-11-14' },
      DEFAULT_RULES,
    ),
  ),
  margin_erosion: evidenceOf(
    detectMarginErosion(
      { asOf: AS_OF, floorFen: 10_000, daily: [{ date: AS_OF, units: 10, revenueFen: 80_000 }] },
      DEFAULT_RULES,
    ),
  ),
  competitor_undercut: evidenceOf(
    detectCompetitorUndercut(
      {
        ourPriceFen: 100_000,
        observations: [{ competitor: '美莱', platform: '新氧', priceFen: 70_000, observedAt: '2026-11-10' }],
      },
      DEFAULT_RULES,
    ),
  ),
  stage_stalled: evidenceOf(
    detectStageStalled({ stage: 'pricing', enteredAt: '2026-10-01', asOf: AS_OF }, DEFAULT_RULES),
  ),
  launch_item_overdue: {
    ...evidenceOf(detectLaunchItemOverdue({ dueOn: '2026-11-12', asOf: AS_OF, status: 'pending' })),
    title: 'Consumables stocked',
    titleZh: '耗材已备货',
  },
  quarterly_review: {
    quarter: '2026-Q3',
    departmentName: '皮肤科',
    products: 4,
    suggestions: ['光子嫩肤：建议调价'],
    summary: '2026-Q3 皮肤科：4 个产品，1 条建议',
  },
};

describe('evidenceText', () => {
  it('has a wording for every signal a task can carry', () => {
    for (const signal of Object.keys(WORDS.signals)) {
      expect(FIRED[signal], signal).toBeDefined();
      expect(evidenceText(signal, FIRED[signal], 'zh'), signal).toEqual(expect.any(String));
      expect(evidenceText(signal, FIRED[signal], 'en'), signal).toEqual(expect.any(String));
    }
  });

  it('words the Chinese evidence without English words (ids, units and test names all in Chinese)', () => {
    for (const [signal, evidence] of Object.entries(FIRED)) {
      const text = evidenceText(signal, evidence, 'zh') ?? '';
      // "p = 0.001" and "1e-12" are the only Latin letters a Chinese reader sees.
      expect(text.replace(/\bp = /g, '').replace(/\d(e-)\d/g, ''), signal).not.toMatch(/[A-Za-z]{2,}/);
    }
  });

  it('words a sales dip in both languages: units, expectation, drop, chance and test', () => {
    const zh = evidenceText('sales_dip', FIRED.sales_dip, 'zh');
    const en = evidenceText('sales_dip', FIRED.sales_dip, 'en');
    expect(zh).toMatch(/^本院区2026年11月9日至2026年11月15日共 7 天售出 42 件，预期 70 件，低 40%；/);
    expect(zh).toContain(`按此前 ${WEEKS} 周的波动，这样的降幅`);
    expect(zh).toMatch(/检验/);
    expect(en).toMatch(
      /^42 units sold at this branch against 70 expected over the 7 days 9 Nov 2026 to 15 Nov 2026 \(40 % below\); a drop this large /,
    );
    expect(en).toContain(`under the noise of the ${WEEKS} weeks before`);
  });

  it('names the branch of a dip folded into the chain-wide task, from the caller’s names', () => {
    const folded = { ...FIRED.sales_dip, branchId: 'b-1' };
    const branchName = (id: string) => (id === 'b-1' ? '静安院区' : undefined);
    expect(evidenceText('sales_dip', folded, 'zh', { branchName })).toMatch(/^静安院区也在下滑：本院区/);
    expect(evidenceText('sales_dip', folded, 'en', { branchName })).toMatch(/^At 静安院区 too: 42 units/);
  });

  it('words a target miss with money in yuan', () => {
    expect(evidenceText('target_miss', FIRED.target_miss, 'zh')).toBe(
      '销量 60 件，为按进度目标 150 的 40%；收入 ¥6,000.00，为按进度目标 ¥15,000.00 的 40%（2026-11 已过 15/30 天，阈值 70%）',
    );
    expect(evidenceText('target_miss', FIRED.target_miss, 'en')).toBe(
      'units 60 are 40 % of the pro-rated 150; revenue ¥6,000.00 is 40 % of the pro-rated ¥15,000.00 after 15 of 30 days of 2026-11 (threshold 70 %)',
    );
  });

  it('words a complaint spike by the conditions that fired', () => {
    expect(evidenceText('complaint_spike', FIRED.complaint_spike, 'zh')).toBe(
      '截至2026年11月15日的 7 天内投诉 3 起',
    );
    expect(evidenceText('complaint_spike', FIRED.complaint_spike, 'en')).toBe(
      '3 complaints in the 7 days to 15 Nov 2026',
    );
  });

  it('words a severe complaint with its category and severity labels', () => {
    expect(evidenceText('severe_complaint', FIRED.severe_complaint, 'zh')).toBe(
      '严重投诉：不良反应，严重程度高，发生于 2026年11月14日',
    );
    expect(evidenceText('severe_complaint', FIRED.severe_complaint, 'en')).toBe(
      'severe complaint: adverse reaction, severity high, on 14 Nov 2026',
    );
  });

  it('words margin erosion from sales and from a cost change, with price-type labels', () => {
    expect(evidenceText('margin_erosion', FIRED.margin_erosion, 'zh')).toBe(
      '截至2026年11月15日的 14 天实际成交均价 ¥80.00，低于底价 ¥100.00（10 件，收入 ¥800.00）',
    );
    const cost = evidenceOf(
      detectCostChangeErosion({
        floorFen: 10_000,
        effectiveOn: '2026-11-01',
        prices: [
          { type: 'list', amountFen: 12_000 },
          { type: 'member', amountFen: 9_000 },
        ],
      }),
    );
    expect(evidenceText('margin_erosion', cost, 'zh')).toBe(
      '成本变动（2026年11月1日起）后，1 个价格低于新底价 ¥100.00：会员价 ¥90.00',
    );
    expect(evidenceText('margin_erosion', cost, 'en')).toBe(
      '1 price(s) under the new floor of ¥100.00 from 1 Nov 2026: Member ¥90.00',
    );
  });

  it('words a competitor undercut, a stalled stage, an overdue item and a review', () => {
    expect(evidenceText('competitor_undercut', FIRED.competitor_undercut, 'zh')).toBe(
      '1 个竞品价格比我们的 ¥1,000.00 低至少 20%：美莱（新氧）¥700.00（2026年11月10日）',
    );
    expect(evidenceText('stage_stalled', FIRED.stage_stalled, 'zh')).toBe(
      '自 2026年10月1日 起处于“定价”阶段已 45 天（上限 14 天）',
    );
    expect(evidenceText('stage_stalled', FIRED.stage_stalled, 'en')).toBe(
      '45 days in Pricing since 1 Oct 2026 (limit 14)',
    );
    expect(evidenceText('launch_item_overdue', FIRED.launch_item_overdue, 'zh')).toBe(
      '耗材已备货：应于 2026年11月12日 完成，已逾期 3 天',
    );
    expect(evidenceText('launch_item_overdue', FIRED.launch_item_overdue, 'en')).toBe(
      'Consumables stocked: item due 12 Nov 2026 is 3 day(s) overdue',
    );
    expect(evidenceText('quarterly_review', FIRED.quarterly_review, 'en')).toBe(
      '2026-Q3 皮肤科: 4 product(s), 1 suggestion(s)',
    );
  });

  it('has no wording for evidence missing a field it needs, or for an unknown signal', () => {
    const { units: _units, ...older } = FIRED.sales_dip!;
    expect(evidenceText('sales_dip', older, 'zh')).toBeUndefined();
    expect(evidenceText('sales_dip', 'a sentence', 'zh')).toBeUndefined();
    expect(evidenceText('no_such_signal', FIRED.sales_dip, 'zh')).toBeUndefined();
  });
});

describe('formatDay', () => {
  it('writes a calendar day in each language and leaves other text alone', () => {
    expect(formatDay('2026-01-05', 'zh')).toBe('2026年1月5日');
    expect(formatDay('2026-01-05', 'en')).toBe('5 Jan 2026');
    expect(formatDay('2026-11-14T02:30:00.000Z', 'zh')).toBe('2026-11-14 10:30');
    expect(formatDay('someday', 'en')).toBe('someday');
  });
});
