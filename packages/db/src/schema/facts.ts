/** Facts the clinics send (sales, complaints, cost changes, targets, calendar) and their rollups. */
import type { Generated } from 'kysely';
import type { CalendarDayKind, ComplaintCategory, Severity } from '@tower/domain';
import type { Timestamp, DateString } from './columns.js';

export interface SalesDailyTable {
  productId: string;
  branchId: string;
  date: DateString;
  channel: string;
  units: number;
  revenueFen: number;
  orders: number;
  returningOrders: number;
  updatedAt: Timestamp;
}

export interface SalesMonthlyTable {
  productId: string;
  branchId: string;
  month: DateString;
  units: number;
  revenueFen: number;
  orders: number;
  returningOrders: number;
  /** The first day of the month with units sold at the branch (null: none). */
  firstSaleOn: DateString | null;
}

/** The daily sales over every branch and channel: one row per product and day. */
export interface SalesProductDailyTable {
  productId: string;
  date: DateString;
  units: number;
  revenueFen: number;
  orders: number;
  returningOrders: number;
}

/** The monthly rollup over every branch: one row per product and month. */
export interface SalesProductMonthlyTable {
  month: DateString;
  productId: string;
  units: number;
  revenueFen: number;
  orders: number;
  returningOrders: number;
  firstSaleOn: DateString | null;
}

export interface ComplaintTable {
  id: Generated<string>;
  externalId: string;
  productId: string;
  branchId: string;
  occurredAt: Timestamp;
  occurredOn: DateString;
  category: ComplaintCategory;
  severity: Severity;
  text: string;
  customerPhoneMasked: string | null;
  createdAt: Generated<Date>;
  /** When a run of `evaluate-complaints` evaluated it; null while it is pending. */
  evaluatedAt: Generated<Date | null>;
}

export interface CostChangeTable {
  id: Generated<string>;
  productId: string;
  consumablesFen: number | null;
  labourFen: number | null;
  overheadFen: number | null;
  marketingFen: number | null;
  effectiveOn: DateString;
  createdAt: Generated<Date>;
}

export interface SalesTargetTable {
  productId: string;
  branchId: string;
  month: DateString;
  units: number | null;
  revenueFen: number | null;
  updatedAt: Timestamp;
}

export interface CalendarDayTable {
  date: DateString;
  kind: CalendarDayKind;
  name: string;
}

/**
 * One row while complaints wait for evaluation and a run is queued or running: ingestion holds it (a
 * share lock) while it stores complaints; a run that drained them clears it.
 */
export interface ComplaintEvaluationMarkTable {
  one: Generated<boolean>;
  createdAt: Generated<Date>;
}

/** Sales not yet judged for a (product, branch): the earliest touched data date (the watermark). */
export interface SalesEvaluationMarkTable {
  productId: string;
  branchId: string;
  fromDate: DateString;
}

/**
 * How many ingestions touched a product's sales (one count per product, bumped by every batch that
 * writes them): an evaluation clears the product's watermarks only if this has not moved since it read them.
 */
export interface SalesEvaluationTouchTable {
  productId: string;
  touched: Generated<number>;
  /** The token of the evaluation that last claimed the count (it starts by claiming it). */
  claim: string | null;
  /** The earliest day written by the batches that touched the product since that claim. */
  touchedFrom: string | null;
}
