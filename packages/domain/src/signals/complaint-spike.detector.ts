import type { Rules } from '../rules.js';
import { binomialUpperTail } from './counts.stats.js';
import { addDays } from './dates.js';
import { clear, fired, round1 } from './detection.js';
import type { Detection, JsonValue } from './detection.js';
import { describeChance, formatPValue, tightenedSignificance } from './significance.rules.js';
import type { Tightening } from './significance.rules.js';

/** The branch's own complaint rate per order, from the `baselineDays` days before the count window. */
export interface OwnComplaintRate {
  /** Complaints about the product at the branch in the baseline days. */
  readonly complaints: number;
  /** Orders of the product at the branch in the baseline days. */
  readonly orders: number;
  /** Orders in the count window (the exposure the window's complaints came from). */
  readonly ordersInCountWindow: number;
}

/** Input of {@link detectComplaintSpike}: one product at one branch. */
export interface ComplaintSpikeInput {
  /** The last day of both windows (`YYYY-MM-DD`). */
  readonly asOf: string;
  /** The local (Asia/Shanghai) day of each complaint; days after `asOf` are ignored. */
  readonly complaintDates: readonly string[];
  /** Orders in the `rateWindowDays` days ending `asOf`. */
  readonly ordersInRateWindow: number;
  /**
   * The branch's usual complaints per order. With it (and baseline orders), a run of complaints fires only
   * when it is also unlikely at that rate; without it the count alone decides, as before.
   */
  readonly ownRate?: OwnComplaintRate;
  /** A stricter significance earned by repeated false alarms on this key. */
  readonly tightening?: Tightening;
}

/**
 * `complaint_spike`, either of:
 * - **count**: at least `countThreshold` complaints in the last `countWindowDays` days and, when the
 *   branch's own rate is known (`ownRate` with baseline orders), that many complaints are unlikely at it:
 *   the one-sided conditional binomial test of two Poisson rates (window complaints among window +
 *   baseline complaints, with probability window orders / all orders) gives p ≤ `significance`. A
 *   branch that always sees a few complaints per hundred orders is not alarmed by its usual three a week;
 * - **rate**: at least `ratePer100Orders` complaints per 100 orders over the last `rateWindowDays` days
 *   (judged only with at least `minOrdersForRate` orders), an absolute ceiling whatever the branch's habit.
 * Windows end on `asOf`, included.
 */
export function detectComplaintSpike(input: ComplaintSpikeInput, rules: Rules): Detection {
  const { countThreshold, countWindowDays, ratePer100Orders, rateWindowDays, minOrdersForRate } =
    rules.complaintSpike;
  const countWindow = { from: addDays(input.asOf, -(countWindowDays - 1)), to: input.asOf };
  const rateWindow = { from: addDays(input.asOf, -(rateWindowDays - 1)), to: input.asOf };
  const within = (w: { from: string; to: string }) =>
    input.complaintDates.filter((d) => d >= w.from && d <= w.to).sort();

  const inCountWindow = within(countWindow);
  const inRateWindow = within(rateWindow);
  const orders = input.ordersInRateWindow;
  const rateJudged = orders >= minOrdersForRate && orders > 0;
  const rate = orders > 0 ? (inRateWindow.length * 100) / orders : null;

  const own = input.ownRate;
  const ownJudged = own !== undefined && own.orders > 0;
  const significance = tightenedSignificance(rules.complaintSpike.significance, input.tightening, rules);
  let ownEvidence: Record<string, JsonValue> = {};
  let ownUnlikely = true;
  let ownSummary = '';
  if (ownJudged) {
    const x = inCountWindow.length;
    const share = own.ordersInCountWindow / (own.ordersInCountWindow + own.orders);
    // No orders in the window at all: any complaint there is beyond the branch's habit.
    const pValue =
      own.ordersInCountWindow === 0 ? (x > 0 ? 0 : 1) : binomialUpperTail(x, x + own.complaints, share);
    const expected = (own.ordersInCountWindow * own.complaints) / own.orders;
    ownUnlikely = pValue <= significance;
    ownEvidence = {
      ownRate: {
        baselineComplaints: own.complaints,
        baselineOrders: own.orders,
        baselineDays: rules.complaintSpike.baselineDays,
        per100Orders: round1((own.complaints * 100) / own.orders),
        ordersInCountWindow: own.ordersInCountWindow,
        expectedComplaints: Math.round(expected * 100) / 100,
        pValue: Number(pValue.toPrecision(3)),
        significance,
      },
    };
    ownSummary =
      ` against ${Math.round(expected * 100) / 100} expected at the branch's own ${round1((own.complaints * 100) / own.orders)} per 100 orders ` +
      `(${own.complaints} in ${own.orders} orders over the ${rules.complaintSpike.baselineDays} days before); ` +
      `${describeChance(pValue, 'so many')} (p = ${formatPValue(pValue)}, significance ${formatPValue(significance)})`;
  }
  const countFired = inCountWindow.length >= countThreshold && ownUnlikely;
  // complaints / orders × 100 ≥ threshold, compared in integers
  const rateFired = rateJudged && inRateWindow.length * 100 >= ratePer100Orders * orders;

  const reasons: string[] = [];
  if (countFired)
    reasons.push(
      `${inCountWindow.length} complaints in the ${countWindowDays} days to ${input.asOf}${ownSummary}`,
    );
  if (rateFired) {
    reasons.push(
      `${round1(rate ?? 0)} complaints per 100 orders (${inRateWindow.length} in ${orders} orders) in the ${rateWindowDays} days to ${input.asOf}`,
    );
  }
  const evidence = {
    asOf: input.asOf,
    countWindow,
    complaintsInCountWindow: inCountWindow.length,
    countThreshold,
    rateWindow,
    complaintsInRateWindow: inRateWindow.length,
    ordersInRateWindow: orders,
    ratePer100Orders: rate === null ? null : round1(rate),
    rateThreshold: ratePer100Orders,
    rateJudged,
    complaintDates: inRateWindow,
    ...ownEvidence,
    firedOn: [...(countFired ? ['count'] : []), ...(rateFired ? ['rate'] : [])],
    summary:
      reasons.length > 0
        ? reasons.join('; ')
        : `${inCountWindow.length} complaints in the ${countWindowDays} days${ownJudged ? ownSummary : ''} and ${inRateWindow.length} in the ${rateWindowDays} days to ${input.asOf}` +
          (rateJudged
            ? ` (${round1(rate ?? 0)} per 100 orders)`
            : ` (${orders} orders, too few to judge a rate)`),
  };
  return countFired || rateFired ? fired(evidence) : clear(evidence);
}
