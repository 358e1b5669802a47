import type { OutboxMessage } from '@tower/db';
import { jobIdFor } from '@tower/queue';

/** The outbox message that asks for `evaluateCostChange` on a product (once per product while queued). */
export function costChangeEvaluation(productId: string): OutboxMessage {
  return {
    jobName: 'evaluate-cost-change',
    jobId: jobIdFor('evaluate-cost-change', productId),
    payload: { productId },
  };
}

/**
 * The outbox message that asks for `evaluateSales` of every (product, branch) of a product that has a
 * watermark, each from its own: deduplicated per product, so however many rows a backfill brings, one
 * evaluation waits per product (and so at most one per touched pair). `runAt` delays it (a re-run).
 */
export function salesEvaluation(productId: string, runAt?: Date): OutboxMessage {
  return {
    jobName: 'evaluate-sales',
    jobId: jobIdFor('evaluate-sales', productId),
    payload: { productId },
    ...(runAt ? { runAt } : {}),
  };
}

/**
 * The outbox message that asks for a run of `evaluatePendingComplaints`: one job for all pending
 * complaints (deduplicated), queued by the transaction that finds no complaint waiting before it.
 */
export function complaintEvaluation(): OutboxMessage {
  return { jobName: 'evaluate-complaints', jobId: jobIdFor('evaluate-complaints'), payload: {} };
}
