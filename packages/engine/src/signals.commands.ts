import {
  findComplaintById,
  findCosts,
  findFirstSaleDate,
  findProductById,
  findSalesTarget,
  insertNotifications,
  insertOutbox,
  insertSignal,
  insertTaskEvidence,
  insertTaskIfNoneOpen,
  isSilenced,
  listActivePeopleWithRoles,
  listCompetitorPrices,
  listComplaintDays,
  listDailySales,
  listExcludedDates,
  listPreLaunchProducts,
  listPriceApprovals,
  listPrices,
  lockOpenTask,
  lockOpenTasksOfSignal,
  listOverdueLaunchItems,
  countOverdueLaunchItems,
  lockTaskResolvedAsOf,
  lockTaskById,
  sumOrders,
  updateTask,
  type OutboxMessage,
  type Person,
  type ProductRow,
  type TaskRow,
  type Tx,
} from '@tower/db';
import {
  addDays,
  canAutoResolve,
  detectCompetitorUndercut,
  detectComplaintSpike,
  detectCostChangeErosion,
  detectMarginErosion,
  detectSalesDip,
  detectSevereComplaint,
  detectStageStalled,
  detectTargetMiss,
  detectLaunchItemOverdue,
  launchItemRoutes,
  eachDay,
  escalationTargets,
  isLiveStage,
  floorFen,
  isApprovedBelowFloor,
  PRE_LAUNCH_STAGES,
  routeSignal,
  unitCostFen,
  type ComplaintCategory,
  type Detection,
  type Evidence,
  type PriceType,
  type Role,
  type RouteTarget,
  type Rules,
  type Severity,
  type Signal,
  type Stage,
  type Tier,
} from '@tower/domain';
import { jobIdFor } from '@tower/queue';
import {
  initialReviewTaskSnapshot,
  persistReviewTaskSnapshot,
  restoreReviewTaskSnapshot,
  reviewTaskMachine,
} from '@tower/workflow-review-task';
import { transition } from 'xstate';
import { shanghaiDay, type EngineContext } from './context.js';
import { loadRules } from './rules.commands.js';

export interface SignalFact {
  readonly signal: Signal;
  readonly productId: string;
  readonly branchId: string | null;
  /** The data date the detection was made for (not the wall clock). */
  readonly firedOn: string;
  /** Splits a (product, signal, branch) key further: a launch item's owner role gets its own task. */
  readonly subjectKey?: string;
  /** Who else the task goes to besides the rule's routes (a launch item's owner role). */
  readonly extraRoutes?: readonly RouteTarget[];
  /** Tells apart several facts of one day that each add evidence (two severe complaints). */
  readonly evidenceKey?: string;
  readonly evidence: Evidence;
}

export type RaiseOutcome = 'opened' | 'evidence_added' | 'already_recorded' | 'silenced';

function notificationsFor(
  taskId: string,
  people: readonly Person[],
  personIds: readonly string[],
  reason: string,
): { personId: string; channelId: string; kind: string; reason: string; taskId: string }[] {
  return personIds.flatMap((personId) => {
    const person = people.find((p) => p.id === personId);
    return (person?.channels ?? []).map((channel) => ({
      taskId,
      personId,
      channelId: channel.id,
      kind: channel.kind,
      reason,
    }));
  });
}

/** Notification rows and their delivery jobs, plus any other outbox messages, in one outbox write. */
async function queueNotifications(
  tx: Tx,
  rows: ReturnType<typeof notificationsFor>,
  alongside: readonly OutboxMessage[] = [],
): Promise<void> {
  const ids = await insertNotifications(tx, rows);
  await insertOutbox(tx, [
    ...ids.map((notificationId): OutboxMessage => ({
      jobName: 'notify',
      jobId: jobIdFor('notify', notificationId),
      payload: { notificationId },
    })),
    ...alongside,
  ]);
}

/**
 * A signal fired: record it, and open the task for its key or add the day's evidence to the open one.
 * A silenced key is recorded but opens nothing. Idempotent: the same fact twice leaves the same rows.
 */
export async function raiseSignal(
  ctx: EngineContext,
  tx: Tx,
  fact: SignalFact,
  rules: Rules,
): Promise<RaiseOutcome> {
  const key = {
    productId: fact.productId,
    signal: fact.signal,
    branchId: fact.branchId,
    ...(fact.subjectKey ? { subjectKey: fact.subjectKey } : {}),
  };
  const at = { firedOn: fact.firedOn, ...(fact.evidenceKey ? { evidenceKey: fact.evidenceKey } : {}) };
  if (await isSilenced(tx, key, ctx.now())) {
    await insertSignal(tx, { ...key, ...at, evidence: fact.evidence, silenced: true, taskId: null });
    return 'silenced';
  }
  /** Records the signal on `task` with the day's evidence; false when both were already there. */
  const attach = async (task: TaskRow): Promise<boolean> => {
    const recorded = await insertSignal(tx, {
      ...key,
      ...at,
      evidence: fact.evidence,
      silenced: false,
      taskId: task.id,
    });
    const added = await insertTaskEvidence(tx, { taskId: task.id, ...at, data: fact.evidence });
    if (added && (!task.lastFiredOn || fact.firedOn > task.lastFiredOn)) {
      await updateTask(tx, task.id, { lastFiredOn: fact.firedOn });
    }
    return added || recorded !== undefined;
  };

  const open = await lockOpenTask(tx, key);
  if (open) return (await attach(open)) ? 'evidence_added' : 'already_recorded';
  // Old news: a task already judged clear as of a later day takes it.
  const settled = await lockTaskResolvedAsOf(tx, key, fact.firedOn);
  if (settled) return (await attach(settled)) ? 'evidence_added' : 'already_recorded';

  const product = await findProductById(tx, fact.productId);
  if (!product) return 'already_recorded';
  const rule = rules.signals[fact.signal];
  // Only the roles this signal routes to, and the directors who stand in for a missing one.
  const roles = [
    ...new Set([...[...rule.routes, ...(fact.extraRoutes ?? [])].map((r) => r.role), 'director' as const]),
  ];
  const people = await listActivePeopleWithRoles(tx, roles);
  const routing = routeSignal({
    signal: fact.signal,
    product,
    branchId: fact.branchId,
    people,
    rules,
    ...(fact.extraRoutes ? { extraRoutes: fact.extraRoutes } : {}),
  });
  if (routing.gaps.length > 0) {
    ctx.log?.warn(
      { signal: fact.signal, productId: fact.productId, branchId: fact.branchId, gaps: routing.gaps },
      'routing gap: directors stand in',
    );
  }
  const dueAt = new Date(ctx.now().getTime() + rule.ackSlaSeconds * 1000);
  const task = await insertTaskIfNoneOpen(tx, {
    ...key,
    severity: rule.severity,
    snapshot: persistReviewTaskSnapshot(initialReviewTaskSnapshot({ maxEscalationLevel: 1 })),
    assignees: [...routing.assignees],
    informed: [...routing.informed],
    dueAt,
    lastFiredOn: fact.firedOn,
  });
  if (!task) {
    // Another worker opened it between our look and our insert: add to theirs.
    await attach((await lockOpenTask(tx, key))!);
    return 'evidence_added';
  }
  await attach(task);
  await queueNotifications(
    tx,
    [
      ...notificationsFor(task.id, people, routing.assignees, 'opened'),
      ...notificationsFor(task.id, people, routing.informed, 'informed'),
    ],
    [
      {
        jobName: 'escalate-task',
        jobId: jobIdFor('escalate-task', task.id, 1),
        payload: { taskId: task.id, level: 1 },
        runAt: dueAt,
      },
    ],
  );
  return 'opened';
}

/** Closes a task the system answered itself (decision keep), with a note saying why. */
async function autoResolve(
  ctx: EngineContext,
  tx: Tx,
  task: TaskRow,
  note: string,
  asOf?: string,
): Promise<void> {
  const [next] = transition(reviewTaskMachine, restoreReviewTaskSnapshot(task.snapshot as PersistedTask), {
    type: 'AUTO_RESOLVE',
  });
  await updateTask(tx, task.id, {
    status: next.value,
    snapshot: persistReviewTaskSnapshot(next),
    decision: 'keep',
    resolutionNote: note,
    resolvedBy: null,
    resolvedAt: ctx.now(),
    ...(asOf ? { resolvedAsOf: asOf } : {}),
  });
}

type PersistedTask = { value: unknown; context: unknown };

/**
 * The condition behind an open task has cleared: auto-resolve it once it has stayed clear for
 * `rules.autoResolveDays` since it last fired, with a note saying so.
 */
async function clearSignal(
  ctx: EngineContext,
  tx: Tx,
  key: { productId: string; signal: Signal; branchId: string | null },
  detection: Detection,
  asOf: string,
  rules: Rules,
  detectOn?: (day: string) => Detection,
): Promise<boolean> {
  const task = await lockOpenTask(tx, key);
  if (!task || !task.lastFiredOn) return false;
  if (!canAutoResolve({ signal: key.signal, detection, lastFiredOn: task.lastFiredOn, asOf }, rules))
    return false;
  // Evaluations of a backfill run in any order: judge the whole window from the data itself, so a
  // late-evaluated fired day inside it keeps the task open instead of opening a second one later.
  if (detectOn) {
    const window = eachDay(addDays(asOf, -(rules.autoResolveDays - 1)), asOf);
    if (window.some((day) => detectOn(day).status === 'fired')) return false;
  }
  await autoResolve(
    ctx,
    tx,
    task,
    `Auto-resolved: the condition has been clear since ${task.lastFiredOn} (${rules.autoResolveDays} days as of ${asOf}).`,
    asOf,
  );
  return true;
}

async function handle(
  ctx: EngineContext,
  tx: Tx,
  key: { productId: string; signal: Signal; branchId: string | null },
  detection: Detection,
  asOf: string,
  rules: Rules,
  detectOn?: (day: string) => Detection,
): Promise<RaiseOutcome | 'cleared' | 'quiet'> {
  if (detection.status === 'fired')
    return raiseSignal(ctx, tx, { ...key, firedOn: asOf, evidence: detection.evidence }, rules);
  return (await clearSignal(ctx, tx, key, detection, asOf, rules, detectOn)) ? 'cleared' : 'quiet';
}

function floorOf(
  product: ProductRow,
  costs: Awaited<ReturnType<typeof findCosts>>,
  rules: Rules,
): number | null {
  return costs ? floorFen(unitCostFen(costs), product.tier as Tier, rules) : null;
}

/**
 * Re-runs the sales detectors (sales_dip, target_miss, margin_erosion) for one product at one
 * branch as of one data date, in one transaction.
 */
export async function evaluateSales(
  ctx: EngineContext,
  input: { productId: string; branchId: string; date: string },
): Promise<Partial<Record<Signal, string>>> {
  return ctx.db.transaction().execute(async (tx) => {
    const product = await findProductById(tx, input.productId);
    if (!product || !isLiveStage(product.stage)) return {};
    const rules = await loadRules(tx);
    const asOf = input.date;
    const monthStart = `${asOf.slice(0, 7)}-01`;
    const baselineDays = rules.salesDip.baselineWeeks * 7 + rules.salesDip.windowDays;
    // Far enough back to re-judge each day of the auto-resolve window with its own baseline.
    const from = [
      addDays(asOf, -(baselineDays + rules.autoResolveDays)),
      addDays(asOf, -(rules.marginErosion.windowDays + rules.autoResolveDays)),
      monthStart,
    ].sort()[0]!;
    const [daily, excluded, firstSale, target, costs] = await Promise.all([
      listDailySales(tx, { productId: input.productId, branchId: input.branchId, from, to: asOf }),
      listExcludedDates(tx, from, asOf),
      findFirstSaleDate(tx, input.productId, input.branchId),
      findSalesTarget(tx, input.productId, input.branchId, monthStart),
      findCosts(tx, input.productId),
    ]);
    const key = (signal: Signal) => ({ productId: input.productId, signal, branchId: input.branchId });
    const outcome: Partial<Record<Signal, string>> = {};

    const dipOn = (day: string) =>
      detectSalesDip(
        { asOf: day, daily, excludedDates: excluded, ...(firstSale ? { onSaleSince: firstSale } : {}) },
        rules,
      );
    outcome.sales_dip = await handle(ctx, tx, key('sales_dip'), dipOn(asOf), asOf, rules, dipOn);

    if (target && (target.units !== null || target.revenueFen !== null)) {
      const monthToDate = daily
        .filter((d) => d.date >= monthStart)
        .reduce((sum, d) => ({ units: sum.units + d.units, revenueFen: sum.revenueFen + d.revenueFen }), {
          units: 0,
          revenueFen: 0,
        });
      const miss = detectTargetMiss(
        {
          asOf,
          month: asOf.slice(0, 7),
          target: {
            ...(target.units !== null ? { units: target.units } : {}),
            ...(target.revenueFen !== null ? { revenueFen: target.revenueFen } : {}),
          },
          monthToDate,
        },
        rules,
      );
      outcome.target_miss = await handle(ctx, tx, key('target_miss'), miss, asOf, rules);
    }

    const floor = floorOf(product, costs, rules);
    if (floor !== null) {
      const erosionOn = (day: string) => detectMarginErosion({ asOf: day, floorFen: floor, daily }, rules);
      outcome.margin_erosion = await handle(
        ctx,
        tx,
        key('margin_erosion'),
        erosionOn(asOf),
        asOf,
        rules,
        erosionOn,
      );
    }
    return outcome;
  });
}

/** A complaint arrived: severe_complaint for a severe category, complaint_spike for the branch. */
export async function evaluateComplaint(
  ctx: EngineContext,
  input: { complaintId: string },
): Promise<Partial<Record<Signal, string>>> {
  return ctx.db.transaction().execute(async (tx) => {
    const complaint = await findComplaintById(tx, input.complaintId);
    if (!complaint) return {};
    const rules = await loadRules(tx);
    const asOf = complaint.occurredOn;
    const outcome: Partial<Record<Signal, string>> = {};
    const severe = detectSevereComplaint(
      {
        complaintId: complaint.id,
        category: complaint.category as ComplaintCategory,
        severity: complaint.severity as Severity,
        occurredAt: complaint.occurredAt.toISOString(),
      },
      rules,
    );
    if (severe.status === 'fired') {
      const key = {
        productId: complaint.productId,
        signal: 'severe_complaint' as const,
        branchId: complaint.branchId,
      };
      // One severe complaint per evidence entry: the complaint's own day may hold several.
      outcome.severe_complaint = await raiseSignal(
        ctx,
        tx,
        { ...key, firedOn: asOf, evidenceKey: complaint.id, evidence: severe.evidence },
        rules,
      );
    }
    const windowStart = addDays(
      asOf,
      -(Math.max(rules.complaintSpike.countWindowDays, rules.complaintSpike.rateWindowDays) - 1),
    );
    const [days, orders] = await Promise.all([
      listComplaintDays(tx, {
        productId: complaint.productId,
        branchId: complaint.branchId,
        from: windowStart,
        to: asOf,
      }),
      sumOrders(tx, {
        productId: complaint.productId,
        branchId: complaint.branchId,
        from: addDays(asOf, -(rules.complaintSpike.rateWindowDays - 1)),
        to: asOf,
      }),
    ]);
    const spike = detectComplaintSpike({ asOf, complaintDates: days, ordersInRateWindow: orders }, rules);
    outcome.complaint_spike = await handle(
      ctx,
      tx,
      { productId: complaint.productId, signal: 'complaint_spike', branchId: complaint.branchId },
      spike,
      asOf,
      rules,
    );
    return outcome;
  });
}

/** New competitor prices: competitor_undercut against our list price (chain-wide, no branch). */
export async function evaluateCompetitorPrices(
  ctx: EngineContext,
  input: { productId: string },
): Promise<string | undefined> {
  return ctx.db.transaction().execute(async (tx) => {
    const product = await findProductById(tx, input.productId);
    if (!product || !isLiveStage(product.stage)) return undefined;
    const rules = await loadRules(tx);
    const [prices, observations] = await Promise.all([
      listPrices(tx, input.productId),
      listCompetitorPrices(tx, input.productId),
    ]);
    const list = prices.find((p) => p.type === 'list');
    if (!list || observations.length === 0) return undefined;
    const detection = detectCompetitorUndercut(
      {
        ourPriceFen: list.amountFen,
        observations: observations.map((o) => ({
          competitor: o.competitor,
          priceFen: o.priceFen,
          observedAt: o.observedAt,
          ...(o.platform ? { platform: o.platform } : {}),
        })),
      },
      rules,
    );
    const asOf = observations
      .map((o) => o.observedAt)
      .sort()
      .at(-1)!;
    return handle(
      ctx,
      tx,
      { productId: input.productId, signal: 'competitor_undercut', branchId: null },
      detection,
      asOf,
      rules,
    );
  });
}

/** The outbox message that asks for {@link evaluateCostChange} on a product (once per product while queued). */
export function costChangeEvaluation(productId: string): OutboxMessage {
  return {
    jobName: 'evaluate-cost-change',
    jobId: jobIdFor('evaluate-cost-change', productId),
    payload: { productId },
  };
}

/** A cost change took effect: margin_erosion when a price now sits under the new floor. */
export async function evaluateCostChange(
  ctx: EngineContext,
  input: { productId: string },
): Promise<string | undefined> {
  return ctx.db.transaction().execute(async (tx) => {
    const product = await findProductById(tx, input.productId);
    if (!product || !isLiveStage(product.stage)) return undefined;
    const rules = await loadRules(tx);
    const [costs, prices, approvals] = await Promise.all([
      findCosts(tx, input.productId),
      listPrices(tx, input.productId),
      listPriceApprovals(tx, input.productId),
    ]);
    const floor = floorOf(product, costs, rules);
    if (floor === null || prices.length === 0) return undefined;
    const asOf = costs?.effectiveOn ?? shanghaiDay(ctx.now());
    const detection = detectCostChangeErosion({
      floorFen: floor,
      effectiveOn: asOf,
      prices: prices.map((p) => ({
        type: p.type as PriceType,
        amountFen: p.amountFen,
        approvedBelowFloor: isApprovedBelowFloor(
          { type: p.type as PriceType, amountFen: p.amountFen },
          approvals.map((a) => ({ type: a.type as PriceType, amountFen: a.amountFen })),
        ),
      })),
    });
    if (detection.status !== 'fired') return 'quiet';
    return raiseSignal(
      ctx,
      tx,
      {
        productId: input.productId,
        signal: 'margin_erosion',
        branchId: null,
        firedOn: asOf,
        evidence: detection.evidence,
      },
      rules,
    );
  });
}

/** The daily sweep: stage_stalled for every product too long in a pre-launch stage. Idempotent per day. */
export async function sweepStalledStages(
  ctx: EngineContext,
  input: { asOf?: string },
): Promise<{ fired: number; checked: number }> {
  const asOf = input.asOf ?? shanghaiDay(ctx.now());
  const products = await listPreLaunchProducts(ctx.db, PRE_LAUNCH_STAGES);
  const rules = await loadRules(ctx.db);
  let fired = 0;
  for (const product of products) {
    const detection = detectStageStalled(
      { stage: product.stage as Stage, enteredAt: product.enteredOn, asOf },
      rules,
    );
    if (detection.status !== 'fired') continue;
    await ctx.db.transaction().execute((tx) =>
      raiseSignal(
        ctx,
        tx,
        {
          productId: product.id,
          signal: 'stage_stalled',
          branchId: null,
          firedOn: asOf,
          evidence: detection.evidence,
        },
        rules,
      ),
    );
    fired += 1;
  }
  return { fired, checked: products.length };
}

/** A product moved on: a stage_stalled task for it has nothing left to answer. */
export async function onStageChanged(
  ctx: EngineContext,
  input: { productId: string; version: number; from: string; to: string },
): Promise<boolean> {
  if (input.from === input.to) return false;
  return ctx.db.transaction().execute(async (tx) => {
    const note = `Auto-resolved: the product moved from ${input.from} to ${input.to}.`;
    const stalled = await lockOpenTask(tx, {
      productId: input.productId,
      signal: 'stage_stalled',
      branchId: null,
    });
    if (stalled) await autoResolve(ctx, tx, stalled, note);
    // Leaving launch (launched or rejected) leaves overdue checklist items nothing to answer.
    const overdue =
      input.from === 'launch' ? await lockOpenTasksOfSignal(tx, input.productId, 'launch_item_overdue') : [];
    for (const task of overdue) await autoResolve(ctx, tx, task, note);
    return stalled !== undefined || overdue.length > 0;
  });
}

/** The hourly sweep: launch_item_overdue for every pending item of a launching product past its due date. */
export async function sweepOverdueLaunchItems(
  ctx: EngineContext,
  input: { asOf?: string },
): Promise<{ fired: number }> {
  const asOf = input.asOf ?? shanghaiDay(ctx.now());
  const items = await listOverdueLaunchItems(ctx.db, asOf);
  const rules = await loadRules(ctx.db);
  for (const item of items) {
    const detection = detectLaunchItemOverdue({ dueOn: item.dueOn, asOf, status: 'pending' });
    if (detection.status !== 'fired') continue;
    await ctx.db.transaction().execute((tx) =>
      raiseSignal(
        ctx,
        tx,
        {
          productId: item.productId,
          signal: 'launch_item_overdue',
          branchId: item.branchId,
          subjectKey: item.ownerRole,
          extraRoutes: launchItemRoutes(item.ownerRole as Role),
          firedOn: asOf,
          evidenceKey: item.id,
          evidence: {
            ...detection.evidence,
            itemId: item.id,
            title: item.title,
            summary: `${item.title}: ${detection.evidence.summary}`,
          },
        },
        rules,
      ),
    );
  }
  return { fired: items.length };
}

/**
 * A launch item was completed: once none of its owner's items at that branch is overdue any more,
 * the owner's launch_item_overdue task there is answered.
 */
export async function resolveAnsweredOverdueTask(
  ctx: EngineContext,
  tx: Tx,
  item: { productId: string; branchId: string; ownerRole: string },
): Promise<boolean> {
  const key = {
    productId: item.productId,
    signal: 'launch_item_overdue',
    branchId: item.branchId,
    subjectKey: item.ownerRole,
  };
  const task = await lockOpenTask(tx, key);
  if (!task) return false;
  if ((await countOverdueLaunchItems(tx, { ...item, asOf: shanghaiDay(ctx.now()) })) > 0) return false;
  await autoResolve(ctx, tx, task, 'Auto-resolved: every overdue item of this owner at this branch is done.');
  return true;
}

/**
 * The SLA passed: if the task is still unacknowledged and below `level`, escalate it to the
 * directors (they become assignees and are notified). Acknowledged or closed tasks stop the ladder.
 */
export async function escalateTask(
  ctx: EngineContext,
  input: { taskId: string; level: number },
): Promise<'escalated' | 'skipped'> {
  return ctx.db.transaction().execute(async (tx) => {
    const task: TaskRow | undefined = await lockTaskById(tx, input.taskId);
    if (!task || task.status !== 'open' || task.escalationLevel >= input.level) return 'skipped';
    const snapshot = restoreReviewTaskSnapshot(task.snapshot as { value: unknown; context: unknown });
    const [next] = transition(reviewTaskMachine, snapshot, { type: 'ESCALATE' });
    if (next.context.escalationLevel === snapshot.context.escalationLevel) return 'skipped';
    const people = await listActivePeopleWithRoles(tx, ['director']);
    const directors = escalationTargets(people);
    await updateTask(tx, task.id, {
      snapshot: persistReviewTaskSnapshot(next),
      escalationLevel: next.context.escalationLevel,
      assignees: [...new Set([...task.assignees, ...directors])],
    });
    await queueNotifications(
      tx,
      notificationsFor(task.id, people, directors, `escalated-${next.context.escalationLevel}`),
    );
    return 'escalated';
  });
}
