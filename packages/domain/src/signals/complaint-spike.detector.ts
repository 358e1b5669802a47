import type { Rules } from '../rules.js';
import { addDays } from './dates.js';
import { clear, fired, round1 } from './detection.js';
import type { Detection } from './detection.js';

/** Input of {@link detectComplaintSpike}: one product at one branch. */
export interface ComplaintSpikeInput {
  /** The last day of both windows (`YYYY-MM-DD`). */
  readonly asOf: string;
  /** The local (Asia/Shanghai) day of each complaint; days after `asOf` are ignored. */
  readonly complaintDates: readonly string[];
  /** Orders in the `rateWindowDays` days ending `asOf`. */
  readonly ordersInRateWindow: number;
}

/**
 * `complaint_spike`: at least `countThreshold` complaints in the last `countWindowDays` days, or at least
 * `ratePer100Orders` complaints per 100 orders over the last `rateWindowDays` days (judged only with at
 * least `minOrdersForRate` orders). Windows end on `asOf`, included.
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

  const countFired = inCountWindow.length >= countThreshold;
  // complaints / orders × 100 ≥ threshold, compared in integers
  const rateFired = rateJudged && inRateWindow.length * 100 >= ratePer100Orders * orders;

  const reasons: string[] = [];
  if (countFired)
    reasons.push(`${inCountWindow.length} complaints in the ${countWindowDays} days to ${input.asOf}`);
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
    firedOn: [...(countFired ? ['count'] : []), ...(rateFired ? ['rate'] : [])],
    summary:
      reasons.length > 0
        ? reasons.join('; ')
        : `${inCountWindow.length} complaints in the ${countWindowDays} days and ${inRateWindow.length} in the ${rateWindowDays} days to ${input.asOf}` +
          (rateJudged
            ? ` (${round1(rate ?? 0)} per 100 orders)`
            : ` (${orders} orders, too few to judge a rate)`),
  };
  return countFired || rateFired ? fired(evidence) : clear(evidence);
}
