import {
  countComplaintsByProduct,
  listCostHistory,
  listDepartments,
  listFirstSaleDays,
  listListPriceHistory,
  listReviewCandidates,
  sumRollupByProductMonth,
  type ProductMonthTotals,
  type ReviewCandidate,
  type Tx,
} from '@tower/db';
import {
  isLiveStage,
  NO_SALES,
  periodsInForce,
  previousQuarter,
  pricedPeriods,
  reviewDepartment,
  sameQuarterLastYear,
  type DepartmentReview,
  type InForceRecord,
  type PricedPeriod,
  type Quarter,
  type QuarterTotals,
  type ReviewProductInput,
  type Rules,
} from '@tower/domain';
import { unitsPerPeriod } from './period-units.js';

interface Sums {
  units: number;
  revenueFen: number;
  orders: number;
  returningOrders: number;
}

function sumMonths(rows: readonly ProductMonthTotals[] | undefined, q: Quarter): Sums {
  const totals = { units: 0, revenueFen: 0, orders: 0, returningOrders: 0 };
  for (const row of rows ?? []) {
    if (!q.months.includes(row.month)) continue;
    totals.units += row.units;
    totals.revenueFen += row.revenueFen;
    totals.orders += row.orders;
    totals.returningOrders += row.returningOrders;
  }
  return totals;
}

function minDay(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return a < b ? a : b;
}

function groupBy<T extends { productId: string }>(rows: readonly T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const list = groups.get(row.productId) ?? [];
    list.push(row);
    groups.set(row.productId, list);
  }
  return groups;
}

/**
 * Is the product listed in the quarter's review? Everything that sold in it; of the rest, what was on
 * sale: not a product launched after the quarter, one never launched that is not on sale now (a
 * product on sale with no launch on record, e.g. loaded on sale, is listed), or one retired for good
 * before the quarter began.
 */
function isListed(candidate: ReviewCandidate, launchedOn: string | null, sold: boolean, q: Quarter): boolean {
  if (sold) return true;
  if (launchedOn !== null && launchedOn > q.to) return false;
  if (launchedOn === null && !isLiveStage(candidate.stage)) return false;
  return !(candidate.retiredFinalOn !== null && candidate.retiredFinalOn < q.from);
}

/**
 * Every department's review of quarter `q`, from the monthly rollup (never a scan of the daily rows):
 * figures per product over the quarter, the previous one and the same one a year before; the cost and
 * the list price in force for each sale from their histories (daily rows are read only for the part of
 * a month that a change splits); complaints of the quarter.
 */
export async function computeQuarterlyReview(
  tx: Tx,
  q: Quarter,
  rules: Rules,
): Promise<{
  departments: DepartmentReview[];
  productCount: number;
  /** Each listed product's owner. */
  ownerOf: Map<string, string>;
}> {
  const previous = previousQuarter(q);
  const lastYear = sameQuarterLastYear(q);
  const [departments, candidates, rollup, complaints] = await Promise.all([
    listDepartments(tx),
    listReviewCandidates(tx, q.months),
    sumRollupByProductMonth(tx, [...q.months, ...previous.months, ...lastYear.months]),
    countComplaintsByProduct(tx, q.from, q.to),
  ]);
  const byProduct = groupBy(rollup);
  const monthUnits = new Map(rollup.map((r) => [`${r.productId}|${r.month}`, r.units]));
  // The first sale day matters where the LAUNCH transition does not settle it: no launch yet, or
  // a launch after the quarter began (sales loaded from before the product was launched here).
  const unsettled = candidates
    .filter((c) => c.launchedOn === null || c.launchedOn >= q.from)
    .map((c) => c.id);
  const ids = candidates.map((c) => c.id);
  const [firstSales, costHistory, priceHistory] = await Promise.all([
    listFirstSaleDays(tx, unsettled, q.to),
    listCostHistory(tx, ids),
    listListPriceHistory(tx, ids),
  ]);
  const costsOf = groupBy(costHistory);
  const pricesOf = groupBy(priceHistory);

  const listed = candidates.flatMap((candidate) => {
    const rows = byProduct.get(candidate.id);
    const current = sumMonths(rows, q);
    const launchedOn = minDay(candidate.launchedOn, firstSales.get(candidate.id) ?? null);
    const sold = current.units > 0 || current.revenueFen > 0 || current.orders > 0;
    if (!isListed(candidate, launchedOn, sold, q)) return [];
    const costs: InForceRecord[] = (costsOf.get(candidate.id) ?? []).map((c) => ({
      effectiveFrom: c.effectiveFrom,
      value: c.unitCostFen,
    }));
    // Products priced before the list-price history began have their current list price as its record.
    const recorded = (pricesOf.get(candidate.id) ?? []).map((p) => ({
      effectiveFrom: p.effectiveFrom,
      value: p.amountFen,
    }));
    const prices: InForceRecord[] =
      recorded.length > 0 || candidate.listPriceFen === null
        ? recorded
        : [{ effectiveFrom: q.from, value: candidate.listPriceFen }];
    return [
      {
        candidate,
        launchedOn,
        current,
        previous: sumMonths(rows, previous),
        lastYear: sumMonths(rows, lastYear),
        periods: {
          current: pricedPeriods(
            periodsInForce(costs, q.from, q.to),
            periodsInForce(prices, q.from, q.to),
            q.from,
            q.to,
          ),
          // Only the margin is read of the previous quarter: its cost periods alone.
          previous: pricedPeriods(
            periodsInForce(costs, previous.from, previous.to),
            [],
            previous.from,
            previous.to,
          ),
        },
      },
    ];
  });

  const unitsOf = (productId: string, month: string) => monthUnits.get(`${productId}|${month}`) ?? 0;
  const [currentUnits, previousUnits] = await Promise.all([
    unitsPerPeriod(
      tx,
      q,
      listed.map((l) => ({ productId: l.candidate.id, periods: l.periods.current })),
      unitsOf,
    ),
    unitsPerPeriod(
      tx,
      previous,
      listed.map((l) => ({ productId: l.candidate.id, periods: l.periods.previous })),
      unitsOf,
    ),
  ]);

  const totals = (
    sums: Sums,
    periods: readonly PricedPeriod[],
    units: readonly number[],
    complaintCount: number,
  ): QuarterTotals => ({
    ...sums,
    complaints: complaintCount,
    costSegments: periods.flatMap((p, i) =>
      p.unitCostFen === null ? [] : [{ units: units[i]!, unitCostFen: p.unitCostFen }],
    ),
    listPriceSegments: periods.flatMap((p, i) =>
      p.listPriceFen === null ? [] : [{ units: units[i]!, listPriceFen: p.listPriceFen }],
    ),
  });
  const inputs: ReviewProductInput[] = listed.map((l) => {
    const id = l.candidate.id;
    const previousTotals = totals(l.previous, l.periods.previous, previousUnits.get(id)!, 0);
    return {
      productId: id,
      name: l.candidate.name,
      departmentId: l.candidate.departmentId,
      tier: l.candidate.tier,
      stage: l.candidate.stage,
      launchedOn: l.launchedOn,
      retiredOn: l.candidate.retiredOn,
      current: totals(l.current, l.periods.current, currentUnits.get(id)!, complaints.get(id) ?? 0),
      previous:
        previousTotals.revenueFen === 0 && previousTotals.units === 0 ? { ...NO_SALES } : previousTotals,
      lastYear: { ...NO_SALES, ...l.lastYear },
    };
  });

  const reviews = departments.map((department) =>
    reviewDepartment(
      department,
      inputs.filter((i) => i.departmentId === department.id),
      q,
      rules,
    ),
  );
  return {
    departments: reviews,
    productCount: inputs.length,
    ownerOf: new Map(listed.map((l) => [l.candidate.id, l.candidate.ownerId])),
  };
}
