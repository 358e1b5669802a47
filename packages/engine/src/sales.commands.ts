import { AppError, addDays, salesSeries, shanghaiDay, type SalesSeriesDay } from '@tower/domain';
import {
  findBranchById,
  findFirstSaleDate,
  findProductLastSaleDate,
  listCalendarDaysBetween,
  listProductDailySales,
  listProductSalesTargets,
} from '@tower/db';
import { requirePerson } from './access.js';
import type { Actor, EngineContext } from './context.js';
import { findVisibleProduct } from './products.commands.js';
import { loadRules } from './rules.commands.js';

export interface SalesSeriesQuery {
  branchId?: string;
  from?: string;
  to?: string;
}

export interface SalesSeriesView {
  productId: string;
  branchId: string | null;
  from: string;
  to: string;
  days: SalesSeriesDay[];
  calendar: { date: string; kind: string; name: string }[];
  targets: { month: string; units: number | null; revenueFen: number | null }[];
}

/** The longest window one request may ask for (a year and a bit: a chart, not an export). */
const MAX_DAYS = 400;
const DEFAULT_DAYS = 56;

/**
 * A product's daily sales (one branch, or all summed) with the same-weekday baseline, dip days, the
 * calendar days that shade the chart and the monthly targets. Without `to`: up to the last day it sold
 * (or today in Asia/Shanghai); without `from`: the 8 weeks before `to`.
 */
export async function getProductSales(
  ctx: EngineContext,
  actor: Actor,
  productId: string,
  query: SalesSeriesQuery,
): Promise<SalesSeriesView> {
  const person = requirePerson(actor);
  await findVisibleProduct(ctx.db, person, productId);
  if (query.branchId && !(await findBranchById(ctx.db, query.branchId))) {
    throw new AppError('INVALID_INPUT', 'The request is not valid: query:branchId no such branch.', {
      fields: [{ field: 'query:branchId', message: 'no such branch' }],
    });
  }
  const to =
    query.to ?? (await findProductLastSaleDate(ctx.db, productId, query.branchId)) ?? shanghaiDay(ctx.now());
  const from = query.from ?? addDays(to, -(DEFAULT_DAYS - 1));
  if (from > to) {
    throw new AppError('INVALID_INPUT', 'The request is not valid: query:from must not be after to.', {
      fields: [{ field: 'query:from', message: 'must not be after to' }],
    });
  }
  if (addDays(from, MAX_DAYS - 1) < to) {
    throw new AppError('INVALID_INPUT', `The request is not valid: at most ${MAX_DAYS} days at once.`, {
      fields: [{ field: 'query:to', message: `must be within ${MAX_DAYS} days of from` }],
    });
  }
  const rules = await loadRules(ctx.db);
  const since = addDays(from, -7 * rules.salesDip.baselineWeeks);
  const key = { productId, ...(query.branchId ? { branchId: query.branchId } : {}) };
  const [daily, calendar, firstSaleDate, targets] = await Promise.all([
    listProductDailySales(ctx.db, { ...key, from: since, to }),
    listCalendarDaysBetween(ctx.db, since, to),
    findFirstSaleDate(ctx.db, productId, query.branchId ?? null),
    listProductSalesTargets(ctx.db, {
      ...key,
      fromMonth: `${from.slice(0, 7)}-01`,
      toMonth: `${to.slice(0, 7)}-01`,
    }),
  ]);
  const excluded = new Set(calendar.filter((d) => d.kind !== 'workday').map((d) => d.date));
  const days = salesSeries(daily, {
    from,
    to,
    baselineWeeks: rules.salesDip.baselineWeeks,
    dropPercent: rules.salesDip.dropPercent,
    excluded,
    ...(firstSaleDate ? { firstSaleDate } : {}),
  });
  return {
    productId,
    branchId: query.branchId ?? null,
    from,
    to,
    days,
    calendar: calendar.filter((d) => d.date >= from),
    targets: targets.map((t) => ({ ...t, month: t.month.slice(0, 7) })),
  };
}
