import type { Job } from 'bullmq';
import {
  deliverNotification,
  escalateTask,
  evaluatePendingComplaints,
  evaluateCompetitorPrices,
  evaluateCostChange,
  evaluateSales,
  onStageChanged,
  runQuarterlyReview,
  runScheduledQuarterlyReview,
  runImportCommit,
  sweepMonthTargets,
  sweepOverdueLaunchItems,
  sweepStalledStages,
  reconcileQueues,
  type EngineContext,
} from '@tower/engine';
import type { JobName, JobPayload, QueueSet } from '@tower/queue';

export interface ProcessorDeps {
  readonly ctx: EngineContext;
  readonly publicUrl: string;
  /** The queues the reconciler re-enqueues into (the worker passes its own). */
  readonly queues?: QueueSet;
  /** Complaints per transaction of a complaint evaluation run (COMPLAINT_BATCH_MAX); 200 by default. */
  readonly complaintBatchMax?: number;
}

/** When a job scheduler's run was due: BullMQ keeps it as `prevMillis`; otherwise when the job was made to run. */
export function scheduledTimeOf(job: Job): Date {
  return new Date(job.opts.prevMillis ?? job.timestamp + (job.opts.delay ?? 0));
}

type Processor<N extends JobName> = (
  deps: ProcessorDeps,
  payload: JobPayload<N>,
  job: Job,
) => Promise<unknown>;

/** Exactly one processor per catalog job; the type makes a missing one a compile error too. */
export const PROCESSORS: { readonly [N in JobName]: Processor<N> } = {
  'stage-changed': ({ ctx }, payload) => onStageChanged(ctx, payload),
  'evaluate-sales': ({ ctx }, payload) => evaluateSales(ctx, payload),
  'evaluate-complaints': ({ ctx, complaintBatchMax }) =>
    evaluatePendingComplaints(ctx, { batchMax: complaintBatchMax ?? 200 }),
  'evaluate-competitor-prices': ({ ctx }, payload) => evaluateCompetitorPrices(ctx, payload),
  'evaluate-cost-change': ({ ctx }, payload) => evaluateCostChange(ctx, payload),
  'sweep-stalled-stages': ({ ctx }, payload) => sweepStalledStages(ctx, payload),
  'sweep-overdue-launch-items': ({ ctx }, payload) => sweepOverdueLaunchItems(ctx, payload),
  'sweep-month-targets': ({ ctx }, payload) => sweepMonthTargets(ctx, payload),
  'escalate-task': ({ ctx }, payload) => escalateTask(ctx, payload),
  reconcile: async ({ ctx, queues }) => {
    if (!queues) throw new Error('the reconcile job needs the worker queues');
    return reconcileQueues(ctx, queues);
  },
  'run-quarterly-review': ({ ctx }, payload) => runQuarterlyReview(ctx, payload),
  // The quarter comes from when the run was due (a retry hours later still reviews the same quarter).
  'quarterly-review': ({ ctx }, _payload, job) => runScheduledQuarterlyReview(ctx, scheduledTimeOf(job)),
  notify: ({ ctx, publicUrl }, payload, job) =>
    deliverNotification(ctx, payload, {
      publicUrl,
      finalAttempt: job.attemptsMade + 1 >= (job.opts.attempts ?? 1),
    }),
  'commit-import': ({ ctx }, payload, job) =>
    runImportCommit(ctx, payload, { finalAttempt: job.attemptsMade + 1 >= (job.opts.attempts ?? 1) }),
};
