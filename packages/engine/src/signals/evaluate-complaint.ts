import { findComplaintById, listComplaintDays, sumOrders } from '@tower/db';
import { addDays, detectComplaintSpike, detectSevereComplaint, type Signal } from '@tower/domain';
import type { EngineContext } from '../context.js';
import { loadRoutingSnapshot } from './routing-snapshot.js';
import { handle } from './auto-resolve.js';
import { raiseSignal } from './raise-signal.js';
import { loadTightening } from './tuning.js';

/** A complaint arrived: severe_complaint for a severe category, complaint_spike for the branch. */
export async function evaluateComplaint(
  ctx: EngineContext,
  input: { complaintId: string },
): Promise<Partial<Record<Signal, string>>> {
  return ctx.db.transaction().execute(async (tx) => {
    const complaint = await findComplaintById(tx, input.complaintId);
    if (!complaint) return {};
    const { rules } = await loadRoutingSnapshot(ctx, tx);
    const asOf = complaint.occurredOn;
    const outcome: Partial<Record<Signal, string>> = {};
    const severe = detectSevereComplaint(
      {
        complaintId: complaint.id,
        category: complaint.category,
        severity: complaint.severity,
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
    const { countWindowDays, rateWindowDays, baselineDays } = rules.complaintSpike;
    const countFrom = addDays(asOf, -(countWindowDays - 1));
    // The branch's own rate per order: the baselineDays before the count window.
    const baselineFrom = addDays(countFrom, -baselineDays);
    const baselineTo = addDays(countFrom, -1);
    const windowStart = addDays(asOf, -(Math.max(countWindowDays, rateWindowDays) - 1));
    const pair = { productId: complaint.productId, branchId: complaint.branchId };
    const spikeKey = { ...pair, signal: 'complaint_spike' as const };
    const [days, orders, baselineOrders, countWindowOrders, tightening] = await Promise.all([
      listComplaintDays(tx, { ...pair, from: [windowStart, baselineFrom].sort()[0]!, to: asOf }),
      sumOrders(tx, { ...pair, from: addDays(asOf, -(rateWindowDays - 1)), to: asOf }),
      sumOrders(tx, { ...pair, from: baselineFrom, to: baselineTo }),
      sumOrders(tx, { ...pair, from: countFrom, to: asOf }),
      loadTightening(tx, spikeKey),
    ]);
    const spike = detectComplaintSpike(
      {
        asOf,
        complaintDates: days.filter((d) => d >= windowStart),
        ordersInRateWindow: orders,
        ownRate: {
          complaints: days.filter((d) => d >= baselineFrom && d <= baselineTo).length,
          orders: baselineOrders,
          ordersInCountWindow: countWindowOrders,
        },
        ...(tightening ? { tightening } : {}),
      },
      rules,
    );
    outcome.complaint_spike = await handle(ctx, tx, spikeKey, spike, asOf, rules);
    return outcome;
  });
}
