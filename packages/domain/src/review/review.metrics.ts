/**
 * The quarterly product-tower review (季度产品塔复盘), pure: figures per product from quarterly totals,
 * classification within each department, the tower's shape against its target, and suggestions with
 * their reasons in words. The engine gathers the totals (from rollups) and stores what this returns.
 */
import type { ReviewRules, Rules } from '../rules.js';
import { TIERS, type Quadrant, type Tier } from '../vocabulary.js';
import { wordFor } from '../words.js';
import type { Quarter } from './quarter.js';

export const ABC_CLASSES = ['A', 'B', 'C'] as const;
export type AbcClass = (typeof ABC_CLASSES)[number];
/** Decisions a review records per product (`dismiss` belongs to signal tasks only). */
export const REVIEW_DECISIONS = ['keep', 'reprice', 'repackage', 'retrain', 'promote', 'retire'] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];

/** A product's totals over one quarter, summed over branches and channels. */
export interface QuarterTotals {
  readonly units: number;
  readonly revenueFen: number;
  readonly orders: number;
  readonly returningOrders: number;
  readonly complaints: number;
  /**
   * Units sold under each unit cost in force during the quarter (one segment when the cost did not
   * change); empty when the product has no cost on record.
   */
  readonly costSegments: readonly { readonly units: number; readonly unitCostFen: number }[];
  /**
   * Units sold under each list price in force during the quarter (the average discount compares what
   * was charged with these, not with today's list price); empty when the product has no list price.
   */
  readonly listPriceSegments: readonly { readonly units: number; readonly listPriceFen: number }[];
}

export const NO_SALES: QuarterTotals = {
  units: 0,
  revenueFen: 0,
  orders: 0,
  returningOrders: 0,
  complaints: 0,
  costSegments: [],
  listPriceSegments: [],
};

export interface ReviewProductInput {
  readonly productId: string;
  readonly name: string;
  readonly departmentId: string;
  readonly tier: Tier;
  readonly stage: string;
  /** First day on sale (launch or first sale, whichever is earlier); null if never. */
  readonly launchedOn: string | null;
  /** The day retirement began (RETIRE), if it did. */
  readonly retiredOn: string | null;
  readonly current: QuarterTotals;
  readonly previous: QuarterTotals;
  readonly lastYear: QuarterTotals;
}

export interface ReviewRow {
  readonly productId: string;
  readonly name: string;
  readonly tier: Tier;
  readonly stage: string;
  readonly launchedOn: string | null;
  readonly retiredOn: string | null;
  /** Launched during the quarter: its figures cover part of it. */
  readonly launchedInQuarter: boolean;
  /** Retirement began during the quarter. */
  readonly retiredInQuarter: boolean;
  readonly units: number;
  readonly orders: number;
  readonly revenueFen: number;
  /** Cost of what was sold, at the costs in force when it was sold; null without costs on record. */
  readonly costFen: number | null;
  readonly grossMarginFen: number | null;
  readonly grossMarginPercent: number | null;
  /** The tier's minimum gross margin: the floor's margin over cost, as a share of price. */
  readonly minGrossMarginPercent: number;
  readonly belowTierMinimum: boolean;
  readonly previousGrossMarginPercent: number | null;
  readonly previousBelowTierMinimum: boolean;
  readonly previousRevenueFen: number;
  readonly lastYearRevenueFen: number;
  readonly growthPercent: number | null;
  readonly growthYearOnYearPercent: number | null;
  readonly sharePercent: number;
  readonly complaints: number;
  readonly complaintsPer100Orders: number | null;
  readonly repurchaseRatePercent: number | null;
  readonly averageDiscountPercent: number | null;
  readonly quadrant: Quadrant;
  readonly abc: AbcClass;
}

export interface ShapeTier {
  readonly tier: Tier;
  /** Products of the tier still on sale at the quarter's end (retiring ones not counted). */
  readonly products: number;
  readonly revenueFen: number;
  readonly revenuePercent: number;
  readonly target: { minProducts: number; minRevenuePercent: number; maxRevenuePercent: number };
  readonly status: 'ok' | 'missing' | 'too_few' | 'below' | 'above';
}

export const SUGGESTION_KINDS = ['retire', 'reprice', 'promote', 'tier_gap', 'tier_share'] as const;
export type SuggestionKind = (typeof SUGGESTION_KINDS)[number];

export interface Suggestion {
  readonly kind: SuggestionKind;
  readonly productId: string | null;
  readonly tier: Tier | null;
  /** The decision the suggestion points at, when it is about one product. */
  readonly decision: ReviewDecision | null;
  readonly reason: string;
  readonly reasonEn: string;
}

export interface DepartmentReview {
  readonly departmentId: string;
  readonly departmentName: string;
  readonly totals: {
    readonly products: number;
    readonly revenueFen: number;
    readonly grossMarginFen: number;
    readonly units: number;
    readonly orders: number;
  };
  readonly rows: ReviewRow[];
  readonly shape: ShapeTier[];
  readonly suggestions: Suggestion[];
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

function percent(part: number, whole: number): number | null {
  return whole === 0 ? null : round1((part / whole) * 100);
}

function growth(now: number, before: number): number | null {
  return before === 0 ? null : round1(((now - before) / before) * 100);
}

function costOf(totals: QuarterTotals): number | null {
  if (totals.costSegments.length === 0) return null;
  return totals.costSegments.reduce((sum, s) => sum + s.units * s.unitCostFen, 0);
}

/** What was charged against the list prices in force when it was sold: 1 − revenue ÷ Σ units × list. */
function discountPercent(totals: QuarterTotals): number | null {
  const listValue = totals.listPriceSegments.reduce((sum, s) => sum + s.units * s.listPriceFen, 0);
  if (totals.units === 0 || listValue === 0) return null;
  return round1((1 - totals.revenueFen / listValue) * 100);
}

/** The tier's minimum margin over cost (floor rule) as a gross margin on price: 40 % over cost → 28.6 %. */
export function minGrossMarginPercent(rules: Rules, tier: Tier): number {
  const markup = rules.pricing.minMarginPercent[tier];
  return round1((markup / (100 + markup)) * 100);
}

function marginPercent(totals: QuarterTotals): number | null {
  const cost = costOf(totals);
  if (cost === null || totals.revenueFen === 0) return null;
  return round1(((totals.revenueFen - cost) / totals.revenueFen) * 100);
}

function within(day: string | null, q: Quarter): boolean {
  return day !== null && day >= q.from && day <= q.to;
}

function quadrantOf(
  row: { growthPercent: number | null; sharePercent: number; revenueFen: number; launchedInQuarter: boolean },
  averageSharePercent: number,
  rules: ReviewRules,
): Quadrant {
  const highShare =
    row.revenueFen > 0 && row.sharePercent >= averageSharePercent * rules.quadrant.highShareVsAverage;
  // No previous revenue to grow from: a newcomer that sells counts as growing, one that sells nothing does not.
  const highGrowth =
    row.growthPercent === null ? row.revenueFen > 0 : row.growthPercent >= rules.quadrant.highGrowthPercent;
  if (highShare) return highGrowth ? 'star' : 'cash_cow';
  return highGrowth ? 'question_mark' : 'dog';
}

function fmtPercent(value: number | null): string {
  return value === null ? '—' : `${value.toFixed(1)}%`;
}

/**
 * Reviews one department's products for quarter `q`: figures, quadrant (growth × share), ABC by gross
 * margin, the tower's shape against `rules.review.targetShape`, and suggestions with reasons.
 */
export function reviewDepartment(
  department: { id: string; name: string },
  products: readonly ReviewProductInput[],
  q: Quarter,
  rules: Rules,
): DepartmentReview {
  const review = rules.review;
  const revenue = products.reduce((sum, p) => sum + p.current.revenueFen, 0);
  const averageShare = products.length === 0 ? 0 : 100 / products.length;

  const base = products.map((p) => {
    const cost = costOf(p.current);
    const minMargin = minGrossMarginPercent(rules, p.tier);
    const margin = marginPercent(p.current);
    const previousMargin = marginPercent(p.previous);
    const launchedInQuarter = within(p.launchedOn, q);
    const row = {
      productId: p.productId,
      name: p.name,
      tier: p.tier,
      stage: p.stage,
      launchedOn: p.launchedOn,
      retiredOn: p.retiredOn,
      launchedInQuarter,
      retiredInQuarter: within(p.retiredOn, q),
      units: p.current.units,
      orders: p.current.orders,
      revenueFen: p.current.revenueFen,
      costFen: cost,
      grossMarginFen: cost === null ? null : p.current.revenueFen - cost,
      grossMarginPercent: margin,
      minGrossMarginPercent: minMargin,
      belowTierMinimum: margin !== null && margin < minMargin,
      previousGrossMarginPercent: previousMargin,
      previousBelowTierMinimum: previousMargin !== null && previousMargin < minMargin,
      previousRevenueFen: p.previous.revenueFen,
      lastYearRevenueFen: p.lastYear.revenueFen,
      growthPercent: growth(p.current.revenueFen, p.previous.revenueFen),
      growthYearOnYearPercent: growth(p.current.revenueFen, p.lastYear.revenueFen),
      sharePercent: revenue === 0 ? 0 : round1((p.current.revenueFen / revenue) * 100),
      complaints: p.current.complaints,
      complaintsPer100Orders:
        p.current.orders === 0 ? null : round1((p.current.complaints / p.current.orders) * 100),
      repurchaseRatePercent: percent(p.current.returningOrders, p.current.orders),
      averageDiscountPercent: discountPercent(p.current),
    };
    return { ...row, quadrant: quadrantOf(row, averageShare, review) };
  });

  // ABC: products by gross margin, largest first; A until aPercent of the department's positive margin
  // is reached (the product that crosses it is still A), then B until bPercent, then C.
  const positiveMargin = base.reduce((sum, r) => sum + Math.max(0, r.grossMarginFen ?? 0), 0);
  const ranked = [...base].sort(
    (x, y) => (y.grossMarginFen ?? 0) - (x.grossMarginFen ?? 0) || x.name.localeCompare(y.name),
  );
  const abc = new Map<string, AbcClass>();
  let before = 0;
  for (const row of ranked) {
    const margin = row.grossMarginFen ?? 0;
    const cumulativeBefore = positiveMargin === 0 ? 100 : (before / positiveMargin) * 100;
    abc.set(
      row.productId,
      margin <= 0
        ? 'C'
        : cumulativeBefore < review.abc.aPercent
          ? 'A'
          : cumulativeBefore < review.abc.bPercent
            ? 'B'
            : 'C',
    );
    before += Math.max(0, margin);
  }
  const rows: ReviewRow[] = base
    .map((r) => ({ ...r, abc: abc.get(r.productId)! }))
    .sort((x, y) => y.revenueFen - x.revenueFen || x.name.localeCompare(y.name));

  const shape: ShapeTier[] = TIERS.map((tier) => {
    const ofTier = rows.filter((r) => r.tier === tier);
    const tierRevenue = ofTier.reduce((sum, r) => sum + r.revenueFen, 0);
    const onSale = ofTier.filter((r) => r.retiredOn === null || r.retiredOn > q.to).length;
    const target = review.targetShape[tier];
    const revenuePercent = revenue === 0 ? 0 : round1((tierRevenue / revenue) * 100);
    const status: ShapeTier['status'] =
      onSale < target.minProducts
        ? onSale === 0
          ? 'missing'
          : 'too_few'
        : revenue > 0 && onSale > 0 && revenuePercent < target.minRevenuePercent
          ? 'below'
          : revenue > 0 && revenuePercent > target.maxRevenuePercent
            ? 'above'
            : 'ok';
    return { tier, products: onSale, revenueFen: tierRevenue, revenuePercent, target: { ...target }, status };
  });

  const suggestions: Suggestion[] = [];
  for (const row of rows) {
    const tierZh = wordFor('tiers', row.tier, 'zh');
    const tierEn = wordFor('tiers', row.tier, 'en').toLowerCase();
    if (row.quadrant === 'dog' && row.belowTierMinimum && row.previousBelowTierMinimum) {
      suggestions.push({
        kind: 'retire',
        productId: row.productId,
        tier: row.tier,
        decision: 'retire',
        reason: `${row.name}：瘦狗（增长 ${fmtPercent(row.growthPercent)}，份额 ${fmtPercent(row.sharePercent)}），毛利率 ${fmtPercent(row.grossMarginPercent)}，连续两个季度低于${tierZh}最低毛利率 ${fmtPercent(row.minGrossMarginPercent)}，建议退市`,
        reasonEn: `${row.name}: a dog (growth ${fmtPercent(row.growthPercent)}, share ${fmtPercent(row.sharePercent)}) with gross margin ${fmtPercent(row.grossMarginPercent)}, under the ${tierEn} minimum of ${fmtPercent(row.minGrossMarginPercent)} two quarters running: a retire candidate`,
      });
    } else if (row.belowTierMinimum) {
      suggestions.push({
        kind: 'reprice',
        productId: row.productId,
        tier: row.tier,
        decision: 'reprice',
        reason: `${row.name}：毛利率 ${fmtPercent(row.grossMarginPercent)}，低于${tierZh}最低毛利率 ${fmtPercent(row.minGrossMarginPercent)}，建议调价`,
        reasonEn: `${row.name}: gross margin ${fmtPercent(row.grossMarginPercent)} is under the ${tierEn} minimum of ${fmtPercent(row.minGrossMarginPercent)}: reprice`,
      });
    }
    if (
      row.quadrant === 'question_mark' &&
      row.growthPercent !== null &&
      row.growthPercent >= review.promoteGrowthPercent
    ) {
      suggestions.push({
        kind: 'promote',
        productId: row.productId,
        tier: row.tier,
        decision: 'promote',
        reason: `${row.name}：问题产品增长 ${fmtPercent(row.growthPercent)}，份额仅 ${fmtPercent(row.sharePercent)}，建议加推`,
        reasonEn: `${row.name}: a question mark growing ${fmtPercent(row.growthPercent)} on a share of ${fmtPercent(row.sharePercent)}: promote`,
      });
    }
  }
  for (const tier of shape) {
    const tierZh = wordFor('tiers', tier.tier, 'zh');
    const tierEn = wordFor('tiers', tier.tier, 'en').toLowerCase();
    const range = `${tier.target.minRevenuePercent}–${tier.target.maxRevenuePercent}%`;
    const common = { productId: null, tier: tier.tier, decision: null };
    switch (tier.status) {
      case 'missing':
        suggestions.push({
          ...common,
          kind: 'tier_gap',
          reason: `${department.name}没有${tierZh}`,
          reasonEn: `${department.name} has no ${tierEn}`,
        });
        break;
      case 'too_few':
        suggestions.push({
          ...common,
          kind: 'tier_gap',
          reason: `${department.name}只有 ${tier.products} 个${tierZh}（目标至少 ${tier.target.minProducts} 个）`,
          reasonEn: `${department.name} has only ${tier.products} ${tierEn} product(s) (target at least ${tier.target.minProducts})`,
        });
        break;
      case 'below':
      case 'above':
        suggestions.push({
          ...common,
          kind: 'tier_share',
          reason: `${department.name}${tierZh}收入占比 ${fmtPercent(tier.revenuePercent)}，${tier.status === 'below' ? '低于' : '高于'}目标 ${range}`,
          reasonEn: `${department.name}: ${tierEn} brings ${fmtPercent(tier.revenuePercent)} of revenue, ${tier.status} the target ${range}`,
        });
        break;
      case 'ok':
        break;
    }
  }

  return {
    departmentId: department.id,
    departmentName: department.name,
    totals: {
      products: rows.length,
      revenueFen: revenue,
      grossMarginFen: rows.reduce((sum, r) => sum + (r.grossMarginFen ?? 0), 0),
      units: rows.reduce((sum, r) => sum + r.units, 0),
      orders: rows.reduce((sum, r) => sum + r.orders, 0),
    },
    rows,
    shape,
    suggestions,
  };
}
