import { setTimeout as sleep } from 'node:timers/promises';
import {
  deleteComplaintEvaluationMark,
  findComplaintsByIds,
  hasPendingComplaints,
  findSignalTunings,
  listComplaintDaysOfPairs,
  listPendingComplaints,
  lockComplaintEvaluationMark,
  lockOpenTasksOfKeys,
  lockPendingComplaints,
  markComplaintsEvaluated,
  sumOrdersOfPairs,
  type PairSpan,
  type Tx,
} from '@tower/db';
import {
  addDays,
  isAppError,
  detectComplaintSpike,
  detectSevereComplaint,
  type Detection,
  type Rules,
  type Signal,
} from '@tower/domain';
import type { EngineContext } from '../context.js';
import { loadRoutingSnapshot } from './routing-snapshot.js';
import { handle } from './auto-resolve.js';
import { raiseSignals, type SignalFact } from './raise-signal.js';

/** What one complaint's evaluation did, per signal (severe_complaint only when it fired). */
export type ComplaintOutcome = Partial<Record<Signal, string>>;

export interface PendingComplaintsOptions {
  /** Complaints evaluated per transaction. */
  readonly batchMax: number;
  /**
   * Transactions at once, each with complaints of pairs of its own (while one waits on Postgres the
   * next one's statements are built, and two never contend for a task). Default 2.
   */
  readonly lanes?: number;
}

/**
 * A run of `evaluate-complaints` (deduplicated: one waits or runs at a time, and one queued while it
 * runs is kept for one more run): evaluates the pending complaints, oldest first, in batches, until none
 * is left; then clears the mark, unless complaints are being stored or wait (then it goes round again),
 * so that the next complaint stored queues the next run. Returns how many complaints it evaluated.
 */
export async function evaluatePendingComplaints(
  ctx: EngineContext,
  options: PendingComplaintsOptions,
): Promise<{ evaluated: number }> {
  const lanes = options.lanes ?? 2;
  const page = options.batchMax * lanes;
  let evaluated = 0;
  for (;;) {
    let round = 0;
    for (;;) {
      const pending = await listPendingComplaints(ctx.db, page);
      // Each pair's complaints go to one lane, in order; pairs to the lane with the fewest so far.
      const byLane = Array.from({ length: lanes }, (): string[] => []);
      const laneOfPair = new Map<string, string[]>();
      for (const complaint of pending) {
        const key = pairKey(complaint);
        let lane = laneOfPair.get(key);
        if (!lane) {
          lane = byLane.reduce((a, b) => (b.length < a.length ? b : a));
          laneOfPair.set(key, lane);
        }
        lane.push(complaint.id);
      }
      const counts = await Promise.all(
        byLane.filter((ids) => ids.length > 0).map((ids) => evaluatePendingBatch(ctx, ids)),
      );
      const done = counts.reduce((a, b) => a + b, 0);
      round += done;
      if (pending.length < page) break;
      // A page that another run holds (a run re-added after Redis lost one) is that run's to evaluate.
      if (done === 0) await sleep(50);
    }
    evaluated += round;
    if (await clearMarkIfDrained(ctx)) return { evaluated };
    // Complaints are being stored: a moment for their transactions to commit before going round.
    if (round === 0) await sleep(5);
  }
}

/**
 * Clears the mark if nobody holds it (transactions storing complaints do, until they commit) and no
 * complaint waits: the next complaint stored then creates it again and queues the next run.
 */
function clearMarkIfDrained(ctx: EngineContext): Promise<boolean> {
  return ctx.db.transaction().execute(async (tx) => {
    const mark = await lockComplaintEvaluationMark(tx);
    if (mark === 'absent') return true;
    if (mark === 'held' || (await hasPendingComplaints(tx))) return false;
    await deleteComplaintEvaluationMark(tx);
    return true;
  });
}

/**
 * The complaints of `ids` still pending, evaluated and recorded as evaluated in one transaction; when
 * the batch fails, one at a time, so a bad complaint fails alone. One that fails alone for a reason
 * retrying cannot mend is set aside (recorded as evaluated, and logged), so it never holds up the rest.
 */
async function evaluatePendingBatch(ctx: EngineContext, ids: readonly string[]): Promise<number> {
  try {
    return await ctx.db.transaction().execute(async (tx) => {
      const complaints = await lockPendingComplaints(tx, ids);
      await evaluateInTransaction(ctx, tx, complaints);
      await markComplaintsEvaluated(
        tx,
        complaints.map((c) => c.id),
        ctx.now(),
      );
      return complaints.length;
    });
  } catch (error) {
    if (ids.length > 1) {
      let done = 0;
      for (const id of ids) done += await evaluatePendingBatch(ctx, [id]);
      return done;
    }
    if (isAppError(error) && error.retryable) throw error;
    ctx.log?.error({ err: error, complaintId: ids[0] }, 'complaint evaluation failed; set aside');
    await markComplaintsEvaluated(ctx.db, ids, ctx.now());
    return 1;
  }
}

/** A complaint arrived: severe_complaint for a severe category, complaint_spike for the branch. */
export async function evaluateComplaint(
  ctx: EngineContext,
  input: { complaintId: string },
): Promise<ComplaintOutcome> {
  const [outcome] = await evaluateComplaints(ctx, { complaintIds: [input.complaintId] });
  return outcome ?? {};
}

/** The spans complaint_spike judges a complaint of `asOf` over (see `detectComplaintSpike`). */
function spikeSpans(asOf: string, rules: Rules) {
  const { countWindowDays, rateWindowDays, baselineDays } = rules.complaintSpike;
  const countFrom = addDays(asOf, -(countWindowDays - 1));
  // The branch's own rate per order: the baselineDays before the count window.
  const baselineFrom = addDays(countFrom, -baselineDays);
  const baselineTo = addDays(countFrom, -1);
  const windowStart = addDays(asOf, -(Math.max(countWindowDays, rateWindowDays) - 1));
  return {
    asOf,
    windowStart,
    baselineFrom,
    baselineTo,
    days: { from: [windowStart, baselineFrom].sort()[0]!, to: asOf },
    orders: [
      { from: addDays(asOf, -(rateWindowDays - 1)), to: asOf },
      { from: baselineFrom, to: baselineTo },
      { from: countFrom, to: asOf },
    ] as const,
  };
}

const pairKey = (p: { productId: string | null; branchId: string | null }) => `${p.productId}|${p.branchId}`;

/**
 * Several complaints in one transaction and a fixed handful of statements, whatever their number:
 * each gets what its own evaluation would give, as if they were evaluated one after another in order.
 * A severe complaint opens its key's task (or adds its evidence); complaint_spike is judged per
 * complaint from the data read once for all of them, and only a spike that fired, or a pair with an
 * open spike task, goes on to raise or clear it one by one.
 */
export async function evaluateComplaints(
  ctx: EngineContext,
  input: { complaintIds: readonly string[] },
): Promise<ComplaintOutcome[]> {
  return ctx.db.transaction().execute(async (tx) => {
    const found = new Map((await findComplaintsByIds(tx, input.complaintIds)).map((c) => [c.id, c]));
    const outcomes = await evaluateInTransaction(
      ctx,
      tx,
      input.complaintIds.map((id) => found.get(id)),
    );
    await markComplaintsEvaluated(tx, [...found.keys()], ctx.now());
    return outcomes;
  });
}

type Complaint = Awaited<ReturnType<typeof findComplaintsByIds>>[number];

/** {@link evaluateComplaints} of complaints already read, in the caller's transaction. */
async function evaluateInTransaction(
  ctx: EngineContext,
  tx: Tx,
  given: readonly (Complaint | undefined)[],
): Promise<ComplaintOutcome[]> {
  const outcomes: ComplaintOutcome[] = given.map(() => ({}));
  const complaints = given.flatMap((complaint, at) => (complaint ? [{ at, complaint }] : []));
  if (complaints.length === 0) return outcomes;
  const { rules } = await loadRoutingSnapshot(ctx, tx);

  const severe: { at: number; fact: SignalFact }[] = [];
  for (const { at, complaint } of complaints) {
    const detection = detectSevereComplaint(
      {
        complaintId: complaint.id,
        category: complaint.category,
        severity: complaint.severity,
        occurredAt: complaint.occurredAt.toISOString(),
      },
      rules,
    );
    if (detection.status !== 'fired') continue;
    // One severe complaint per evidence entry: the complaint's own day may hold several.
    severe.push({
      at,
      fact: {
        productId: complaint.productId,
        signal: 'severe_complaint',
        branchId: complaint.branchId,
        firedOn: complaint.occurredOn,
        evidenceKey: complaint.id,
        evidence: detection.evidence,
      },
    });
  }
  const raised = await raiseSignals(
    ctx,
    tx,
    severe.map((s) => s.fact),
    rules,
  );
  severe.forEach((s, j) => (outcomes[s.at]!.severe_complaint = raised[j]!));

  const spans = complaints.map(({ complaint }) => spikeSpans(complaint.occurredOn, rules));
  const pairOf = (i: number) => ({
    productId: complaints[i]!.complaint.productId,
    branchId: complaints[i]!.complaint.branchId,
  });
  const daySpans: PairSpan[] = spans.map((s, i) => ({ ...pairOf(i), ...s.days }));
  const orderSpans: PairSpan[] = spans.flatMap((s, i) => s.orders.map((o) => ({ ...pairOf(i), ...o })));
  const spikeKeys = complaints.map((_, i) => ({ ...pairOf(i), signal: 'complaint_spike' as const }));
  const days = await listComplaintDaysOfPairs(tx, daySpans);
  const orders = await sumOrdersOfPairs(tx, orderSpans);
  const tunings = await findSignalTunings(tx, spikeKeys);
  const openSpikes = new Set((await lockOpenTasksOfKeys(tx, spikeKeys)).map(pairKey));

  const detections: Detection[] = spans.map((s, i) => {
    const complaintDays = days[i]!;
    const { productId, branchId } = pairOf(i);
    const tightening = tunings.get(`${productId}|complaint_spike|${branchId}`);
    return detectComplaintSpike(
      {
        asOf: s.asOf,
        complaintDates: complaintDays.filter((d) => d >= s.windowStart),
        ordersInRateWindow: orders[i * 3]!,
        ownRate: {
          complaints: complaintDays.filter((d) => d >= s.baselineFrom && d <= s.baselineTo).length,
          orders: orders[i * 3 + 1]!,
          ordersInCountWindow: orders[i * 3 + 2]!,
        },
        ...(tightening && tightening.level > 0 ? { tightening } : {}),
      },
      rules,
    );
  });
  // A pair whose spike fires in this batch, or that has an open spike task, is raised or cleared
  // one complaint after another; any other quiet complaint has nothing to clear.
  const busy = new Set(openSpikes);
  detections.forEach((d, i) => {
    if (d.status === 'fired') busy.add(pairKey(pairOf(i)));
  });
  for (const [i, { at, complaint }] of complaints.entries()) {
    outcomes[at]!.complaint_spike = busy.has(pairKey(pairOf(i)))
      ? await handle(ctx, tx, spikeKeys[i]!, detections[i]!, complaint.occurredOn, rules)
      : 'quiet';
  }
  return outcomes;
}
