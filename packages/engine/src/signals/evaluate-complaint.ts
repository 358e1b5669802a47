import { findComplaintById, listComplaintDays, sumOrders } from '@tower/db';
import {
  addDays,
  detectComplaintSpike,
  detectSevereComplaint,
  type ComplaintCategory,
  type Severity,
  type Signal,
} from '@tower/domain';
import type { EngineContext } from '../context.js';
import { loadRules } from '../rules.commands.js';
import { handle } from './auto-resolve.js';
import { raiseSignal } from './raise-signal.js';

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
