import {
  findReviewById,
  insertAudit,
  insertOutbox,
  insertReviewDecision,
  insertReviewTask,
  insertTaskEvidence,
  listActivePeopleWithRoles,
  listCostHistory,
  listDepartments,
  listFirstSaleDays,
  listProductManagers,
  listReviewCandidates,
  listReviewDecisions,
  listReviews,
  listReviewTasks,
  lockReviewById,
  saveReviewFigures,
  sumRollupByProductMonth,
  sumUnitsInRanges,
  countComplaintsByProduct,
  upsertReview,
  type ProductMonthTotals,
  type ReviewCandidate,
  type ReviewRecord,
  type Tx,
} from '@tower/db';
import {
  AppError,
  addDays,
  costPeriods,
  isLiveStage,
  NO_SALES,
  parseQuarter,
  previousQuarter,
  quarterJustEnded,
  reviewDepartment,
  reviewReportCsv,
  sameQuarterLastYear,
  shanghaiDay,
  type DepartmentReview,
  type Quarter,
  type QuarterTotals,
  type ReviewDecision,
  type ReviewProductInput,
  type Rules,
  type Tier,
} from '@tower/domain';
import { jobIdFor } from '@tower/queue';
import {
  initialReviewTaskSnapshot,
  LIFECYCLE_EVENT_FOR_DECISION,
  isLifecycleDecision,
  persistReviewTaskSnapshot,
} from '@tower/workflow-review-task';
import { requirePerson, requireRole, visibleDepartmentIds } from './access.js';
import { hasRole, type Actor, type EngineContext, type PersonActor } from './context.js';
import { sendLifecycleEventInTx, type LifecycleEventResult } from './lifecycle.commands.js';
import { loadRules } from './rules.commands.js';

/** Who may run a review on demand. */
const REVIEW_RUNNERS = ['product_manager', 'director', 'admin'] as const;

function reviewNotFound(id: string): AppError {
  return new AppError('REVIEW_NOT_FOUND', `No review ${id}.`);
}

/** The outbox message that (re)computes a review; while one waits, another request adds nothing. */
function runMessage(reviewId: string) {
  return {
    jobName: 'run-quarterly-review' as const,
    jobId: jobIdFor('run-quarterly-review', reviewId),
    payload: { reviewId },
  };
}

/**
 * `POST /api/reviews/quarterly`: the quarter's one review (made on first request), and a job that
 * computes or refreshes its figures. The same quarter again answers the same review.
 */
export async function requestQuarterlyReview(
  ctx: EngineContext,
  actor: Actor,
  quarterId: string,
): Promise<{ reviewId: string; created: boolean }> {
  const person = requireRole(actor, REVIEW_RUNNERS, 'run a quarterly review');
  const q = parseQuarter(quarterId);
  const today = shanghaiDay(ctx.now());
  if (q.from > today) {
    throw new AppError('REVIEW_QUARTER_NOT_STARTED', `${q.id} has not begun yet.`, {
      reasons: [{ code: 'quarter_not_started', message: `${q.id} begins on ${q.from}` }],
    });
  }
  return ctx.db.transaction().execute(async (tx) => {
    const review = await upsertReview(tx, q.id, person.id);
    await insertOutbox(tx, [runMessage(review.id)]);
    await insertAudit(tx, {
      actorId: person.id,
      action: 'review.requested',
      entity: 'review',
      entityId: review.id,
      data: { quarter: q.id },
    });
    return { reviewId: review.id, created: review.created };
  });
}

function sumMonths(rows: readonly ProductMonthTotals[] | undefined, q: Quarter) {
  const totals = { units: 0, revenueFen: 0, orders: 0, returningOrders: 0 };
  let firstSaleOn: string | null = null;
  for (const row of rows ?? []) {
    if (!q.months.includes(row.month)) continue;
    totals.units += row.units;
    totals.revenueFen += row.revenueFen;
    totals.orders += row.orders;
    totals.returningOrders += row.returningOrders;
    if (row.firstSaleOn && (firstSaleOn === null || row.firstSaleOn < firstSaleOn))
      firstSaleOn = row.firstSaleOn;
  }
  return { ...totals, firstSaleOn };
}

/** The first day of the month `n` months after the first day `month`. */
function addMonths(month: string, n: number): string {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7)) - 1 + n;
  return `${y + Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, '0')}-01`;
}

function minDay(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return a < b ? a : b;
}

/**
 * Every department's review of quarter `q`, from the monthly rollup (never a scan of the daily rows):
 * figures per product over the quarter, the previous one and the same one a year before; the cost in
 * force for each sale from the cost history (daily rows are read only for a product whose cost changed
 * inside a month of the quarter); complaints of the quarter.
 */
export async function computeQuarterlyReview(
  tx: Tx,
  q: Quarter,
  rules: Rules,
): Promise<{ departments: DepartmentReview[]; productCount: number }> {
  const previous = previousQuarter(q);
  const lastYear = sameQuarterLastYear(q);
  const [departments, candidates, rollup, complaints] = await Promise.all([
    listDepartments(tx),
    listReviewCandidates(tx, q.months),
    sumRollupByProductMonth(tx, [...q.months, ...previous.months, ...lastYear.months]),
    countComplaintsByProduct(tx, q.from, q.to),
  ]);
  const byProduct = new Map<string, ProductMonthTotals[]>();
  for (const row of rollup) {
    const list = byProduct.get(row.productId) ?? [];
    list.push(row);
    byProduct.set(row.productId, list);
  }
  // The first sale day matters where the LAUNCH transition does not settle it: no launch yet, or
  // a launch after the quarter began (sales loaded from before the product was launched here).
  const unsettled = candidates
    .filter((c) => c.launchedOn === null || c.launchedOn >= q.from)
    .map((c) => c.id);
  const [firstSales, history] = await Promise.all([
    listFirstSaleDays(tx, unsettled, q.to),
    listCostHistory(
      tx,
      candidates.map((c) => c.id),
    ),
  ]);
  const historyOf = new Map<string, { effectiveFrom: string; unitCostFen: number }[]>();
  for (const h of history) {
    const list = historyOf.get(h.productId) ?? [];
    list.push(h);
    historyOf.set(h.productId, list);
  }

  interface Pending {
    candidate: ReviewCandidate;
    launchedOn: string | null;
    figures: Record<'current' | 'previous' | 'lastYear', ReturnType<typeof sumMonths>>;
    periods: Record<'current' | 'previous', ReturnType<typeof costPeriods>>;
  }
  const pending: Pending[] = [];
  for (const candidate of candidates) {
    const rows = byProduct.get(candidate.id);
    const current = sumMonths(rows, q);
    const launchedOn = minDay(candidate.launchedOn, firstSales.get(candidate.id) ?? null);
    const sold = current.units > 0 || current.revenueFen > 0 || current.orders > 0;
    // Not yet on sale by the quarter's end, or retired for good before it began, and nothing sold: not listed.
    // (A product on sale with no launch on record, e.g. loaded on sale, is listed.)
    if (!sold && launchedOn !== null && launchedOn > q.to) continue;
    if (!sold && launchedOn === null && !isLiveStage(candidate.stage)) continue;
    if (!sold && candidate.retiredFinalOn !== null && candidate.retiredFinalOn < q.from) continue;
    const records = historyOf.get(candidate.id) ?? [];
    pending.push({
      candidate,
      launchedOn,
      figures: { current, previous: sumMonths(rows, previous), lastYear: sumMonths(rows, lastYear) },
      periods: {
        current: costPeriods(records, q.from, q.to),
        previous: costPeriods(records, previous.from, previous.to),
      },
    });
  }

  // Units per cost period where the cost changed inside the quarter: whole months from the rollup,
  // and from the daily rows only the part of a month that a change splits.
  const ranges: { productId: string; from: string; to: string }[] = [];
  const plans = new Map<string, { whole: string[]; partial: number[] }[]>();
  for (const p of pending)
    for (const key of ['current', 'previous'] as const) {
      if (p.periods[key].length <= 1) continue;
      const q2 = key === 'current' ? q : previous;
      plans.set(
        `${p.candidate.id}|${key}`,
        p.periods[key].map((period) => {
          const whole: string[] = [];
          const partial: number[] = [];
          for (const month of q2.months) {
            const monthEnd = addDays(addMonths(month, 1), -1);
            const from = period.from > month ? period.from : month;
            const to = period.to < monthEnd ? period.to : monthEnd;
            if (from > to) continue;
            if (from === month && to === monthEnd) whole.push(month);
            else partial.push(ranges.push({ productId: p.candidate.id, from, to }) - 1);
          }
          return { whole, partial };
        }),
      );
    }
  const rangeUnits = await sumUnitsInRanges(tx, ranges);
  const monthUnits = (productId: string, month: string) =>
    (byProduct.get(productId) ?? []).filter((r) => r.month === month).reduce((sum, r) => sum + r.units, 0);

  const inputs: ReviewProductInput[] = pending.map((p) => {
    const totals = (key: 'current' | 'previous' | 'lastYear'): QuarterTotals => {
      const f = p.figures[key];
      const periods = key === 'lastYear' ? [] : p.periods[key];
      const plan = plans.get(`${p.candidate.id}|${key}`);
      const costSegments =
        periods.length === 1 || !plan
          ? periods.map((period) => ({ units: f.units, unitCostFen: period.unitCostFen }))
          : periods.map((period, i) => ({
              units:
                plan[i]!.whole.reduce((sum, month) => sum + monthUnits(p.candidate.id, month), 0) +
                plan[i]!.partial.reduce((sum, r) => sum + rangeUnits[r]!, 0),
              unitCostFen: period.unitCostFen,
            }));
      return {
        units: f.units,
        revenueFen: f.revenueFen,
        orders: f.orders,
        returningOrders: f.returningOrders,
        complaints: key === 'current' ? (complaints.get(p.candidate.id) ?? 0) : 0,
        costSegments,
      };
    };
    const current = totals('current');
    const previousTotals = totals('previous');
    return {
      productId: p.candidate.id,
      name: p.candidate.name,
      departmentId: p.candidate.departmentId,
      tier: p.candidate.tier as Tier,
      stage: p.candidate.stage,
      launchedOn: p.launchedOn,
      retiredOn: p.candidate.retiredOn,
      listPriceFen: p.candidate.listPriceFen,
      current,
      previous:
        previousTotals.revenueFen === 0 && previousTotals.units === 0 ? { ...NO_SALES } : previousTotals,
      lastYear: totals('lastYear'),
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
  return { departments: reviews, productCount: inputs.length };
}

/** Who answers a department's review: its product managers (scoped to it, or owning its products). */
async function reviewAssignees(
  tx: Tx,
  department: DepartmentReview,
  ownerOf: ReadonlyMap<string, string>,
): Promise<string[]> {
  const managers = await listProductManagers(tx);
  const scoped = managers.filter((m) => m.departmentId === department.departmentId).map((m) => m.id);
  const owners = department.rows
    .map((r) => ownerOf.get(r.productId))
    .filter((id): id is string => id !== undefined && managers.some((m) => m.id === id));
  const chosen = [...new Set([...scoped, ...owners])];
  if (chosen.length > 0) return chosen.sort();
  const chainWide = [...new Set(managers.filter((m) => m.departmentId === null).map((m) => m.id))];
  if (chainWide.length > 0) return chainWide.sort();
  return (await listActivePeopleWithRoles(tx, ['director'])).map((p) => p.id).sort();
}

/**
 * Computes (or refreshes) a review and opens one review task per department, in one transaction that
 * holds the review row: a rerun replaces the figures, keeps the decisions (their own table) and finds
 * the tasks it opened before instead of opening more.
 */
export async function runQuarterlyReview(
  ctx: EngineContext,
  input: { reviewId: string },
): Promise<{ quarter: string; products: number; tasksOpened: number; computeMs: number } | 'gone'> {
  return ctx.db.transaction().execute(async (tx) => {
    const review = await lockReviewById(tx, input.reviewId);
    if (!review) return 'gone';
    const q = parseQuarter(review.quarter);
    const rules = await loadRules(tx);
    const started = performance.now();
    const { departments, productCount } = await computeQuarterlyReview(tx, q, rules);
    const computeMs = Math.round(performance.now() - started);
    await saveReviewFigures(tx, review.id, { departments, productCount, computedAt: ctx.now(), computeMs });

    const candidates = await listReviewCandidates(tx, q.months);
    const ownerOf = new Map(candidates.map((c) => [c.id, c.ownerId]));
    let tasksOpened = 0;
    for (const department of departments) {
      const assignees = await reviewAssignees(tx, department, ownerOf);
      if (assignees.length === 0) {
        ctx.log?.warn(
          { reviewId: review.id, departmentId: department.departmentId },
          'review task has nobody',
        );
        continue;
      }
      const task = await insertReviewTask(tx, {
        reviewId: review.id,
        departmentId: department.departmentId,
        severity: rules.review.task.severity,
        snapshot: persistReviewTaskSnapshot(initialReviewTaskSnapshot({ maxEscalationLevel: 1 })),
        assignees,
        dueAt: new Date(ctx.now().getTime() + rules.review.task.ackSlaSeconds * 1000),
        lastFiredOn: q.to,
      });
      if (task.created) {
        tasksOpened += 1;
        await insertTaskEvidence(tx, {
          taskId: task.id,
          firedOn: q.to,
          evidenceKey: 'review',
          data: {
            reviewId: review.id,
            quarter: q.id,
            departmentId: department.departmentId,
            departmentName: department.departmentName,
            link: `/reviews/${review.id}`,
            products: department.rows.length,
            suggestions: department.suggestions.map((s) => s.reason),
          },
        });
      }
    }
    return { quarter: q.id, products: productCount, tasksOpened, computeMs };
  });
}

/** The scheduler's run: the quarter that ended before `scheduledAt` (Asia/Shanghai), made and computed. */
export async function runScheduledQuarterlyReview(ctx: EngineContext, scheduledAt: Date) {
  const q = quarterJustEnded(scheduledAt);
  const { id } = await ctx.db.transaction().execute((tx) => upsertReview(tx, q.id, null));
  return runQuarterlyReview(ctx, { reviewId: id });
}

export interface ReviewSummary {
  id: string;
  quarter: string;
  from: string;
  to: string;
  status: 'pending' | 'ready';
  productCount: number;
  departmentCount: number;
  computedAt: Date | null;
  computeMs: number | null;
  runs: number;
  createdAt: Date;
}

export async function getReviews(
  ctx: EngineContext,
  actor: Actor,
  page: { after?: string; limit: number },
): Promise<ReviewSummary[]> {
  requirePerson(actor);
  const rows = await listReviews(ctx.db, page);
  return rows.map((r) => {
    const q = parseQuarter(r.quarter);
    return {
      id: r.id,
      quarter: r.quarter,
      from: q.from,
      to: q.to,
      status: r.status,
      productCount: r.productCount,
      departmentCount: r.departmentCount,
      computedAt: r.computedAt,
      computeMs: r.computeMs,
      runs: r.runs,
      createdAt: r.createdAt,
    };
  });
}

async function visibleReview(ctx: EngineContext, person: PersonActor, id: string) {
  const review = await findReviewById(ctx.db, id);
  if (!review) throw reviewNotFound(id);
  const visible = visibleDepartmentIds(person);
  const departments = (review.departments as DepartmentReview[]).filter(
    (d) => visible === undefined || visible.includes(d.departmentId),
  );
  return { review, departments };
}

export interface ReviewDecisionView {
  productId: string;
  decision: ReviewDecision;
  note: string;
  decidedBy: string;
  decidedAt: Date;
  lifecycleEvent: string | null;
}

function decisionView(d: Omit<ReviewDecisionView, 'decision'> & { decision: string }): ReviewDecisionView {
  return {
    productId: d.productId,
    decision: d.decision as ReviewDecision,
    note: d.note,
    decidedBy: d.decidedBy,
    decidedAt: d.decidedAt,
    lifecycleEvent: d.lifecycleEvent,
  };
}

function summaryOf(review: ReviewRecord): ReviewSummary {
  const q = parseQuarter(review.quarter);
  return {
    id: review.id,
    quarter: review.quarter,
    from: q.from,
    to: q.to,
    status: review.status as ReviewSummary['status'],
    productCount: review.productCount,
    departmentCount: (review.departments as unknown[]).length,
    computedAt: review.computedAt,
    computeMs: review.computeMs,
    runs: review.runs,
    createdAt: review.createdAt,
  };
}

/** A review per department (rows with their decisions, shape, suggestions, task); department managers see their departments only. */
export async function getReview(ctx: EngineContext, actor: Actor, id: string) {
  const person = requirePerson(actor);
  const { review, departments } = await visibleReview(ctx, person, id);
  const [decisions, tasks] = await Promise.all([
    listReviewDecisions(ctx.db, id),
    listReviewTasks(ctx.db, id),
  ]);
  const decisionOf = new Map(decisions.map((d) => [d.productId, decisionView(d)]));
  return {
    ...summaryOf(review),
    departments: departments.map((d) => ({
      ...d,
      taskId: tasks.find((t) => t.departmentId === d.departmentId)?.id ?? null,
      rows: d.rows.map((r) => ({ ...r, decision: decisionOf.get(r.productId) ?? null })),
    })),
  };
}

/** The review as CSV (UTF-8 with BOM, Chinese labels), one row per product the caller may see. */
export async function getReviewReport(
  ctx: EngineContext,
  actor: Actor,
  id: string,
): Promise<{ quarter: string; csv: string }> {
  const person = requirePerson(actor);
  const { review, departments } = await visibleReview(ctx, person, id);
  const decisions = await listReviewDecisions(ctx.db, id);
  return {
    quarter: review.quarter,
    csv: reviewReportCsv(
      review.quarter,
      departments,
      new Map(decisions.map((d) => [d.productId, d.decision])),
    ),
  };
}

/**
 * Records a product's decision on a review, once. Decisions that move the life cycle (reprice,
 * repackage, retrain, retire) are sent to the product's machine in the same transaction, with the
 * decider as actor and the review in the reason, so they show in the product's history; a refusal
 * (wrong stage, failed gate, not allowed) records nothing.
 */
export async function recordReviewDecision(
  ctx: EngineContext,
  actor: Actor,
  reviewId: string,
  input: { productId: string; decision: ReviewDecision; note: string },
): Promise<ReviewDecisionView & { reviewId: string; lifecycle: LifecycleEventResult | null }> {
  const person = requirePerson(actor);
  return ctx.db.transaction().execute(async (tx) => {
    const review = await lockReviewById(tx, reviewId);
    if (!review) throw reviewNotFound(reviewId);
    const visible = visibleDepartmentIds(person);
    const department = (review.departments as DepartmentReview[]).find(
      (d) =>
        (visible === undefined || visible.includes(d.departmentId)) &&
        d.rows.some((r) => r.productId === input.productId),
    );
    if (!department) {
      throw new AppError(
        'REVIEW_PRODUCT_NOT_FOUND',
        `Product ${input.productId} is not in review ${reviewId}.`,
      );
    }
    const tasks = await listReviewTasks(tx, reviewId);
    const assigned = tasks.some(
      (t) => t.departmentId === department.departmentId && t.assignees.includes(person.id),
    );
    if (
      !assigned &&
      !hasRole(person, 'product_manager') &&
      !hasRole(person, 'director') &&
      !hasRole(person, 'admin')
    ) {
      throw new AppError(
        'ROLE_REQUIRED',
        "Only the department's product managers, a director or an admin decide on a review.",
      );
    }
    const lifecycleEvent = isLifecycleDecision(input.decision)
      ? LIFECYCLE_EVENT_FOR_DECISION[input.decision]
      : null;
    const recorded = await insertReviewDecision(tx, {
      reviewId,
      productId: input.productId,
      decision: input.decision,
      note: input.note,
      decidedBy: person.id,
      lifecycleEvent,
    });
    if (!recorded) {
      throw new AppError(
        'REVIEW_DECISION_EXISTS',
        `A decision on this product is already recorded in review ${review.quarter}.`,
        { productId: input.productId },
      );
    }
    const lifecycle = lifecycleEvent
      ? await sendLifecycleEventInTx(ctx, tx, person, input.productId, {
          type: lifecycleEvent,
          reason: `季度产品塔复盘 ${review.quarter}: ${input.note}`,
        })
      : null;
    await insertAudit(tx, {
      actorId: person.id,
      action: 'review.decided',
      entity: 'review',
      entityId: reviewId,
      data: { ...input, lifecycleEvent },
    });
    return { reviewId, ...decisionView(recorded), lifecycle };
  });
}
