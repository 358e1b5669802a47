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
 * The outbox message that asks for `evaluateSales` of one (product, branch) from its watermark:
 * deduplicated per pair, so however many rows a backfill brings, one evaluation waits per pair.
 */
export function salesEvaluation(productId: string, branchId: string): OutboxMessage {
  return {
    jobName: 'evaluate-sales',
    jobId: jobIdFor('evaluate-sales', productId, branchId),
    payload: { productId, branchId },
  };
}
