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
