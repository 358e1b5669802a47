import {
  findProductById,
  insertSignal,
  insertTaskIfNoneOpen,
  isSilenced,
  lockOpenTask,
  lockTaskTakingFact,
  type TaskRow,
  type Tx,
} from '@tower/db';
import { routeSignal, type Evidence, type RouteTarget, type Rules, type Signal } from '@tower/domain';
import { jobIdFor } from '@tower/queue';
import { initialReviewTaskSnapshot, persistReviewTaskSnapshot } from '@tower/workflow-review-task';
import type { EngineContext } from '../context.js';
import { recordTaskEvidence } from '../tasks/task-evidence.js';
import { tryTaskEvent } from '../tasks/task-machine.js';
import { loadRoutingSnapshot, peopleWithRoles } from './routing-snapshot.js';
import { notificationsFor, queueNotifications } from './task-notifications.js';

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
  const evidence = {
    key,
    firedOn: fact.firedOn,
    evidence: fact.evidence,
    ...(fact.evidenceKey ? { evidenceKey: fact.evidenceKey } : {}),
  };
  /** An open task takes the day's evidence through its machine (ADD_EVIDENCE → recordEvidence). */
  const addEvidence = async (task: TaskRow): Promise<RaiseOutcome> => {
    const done = await tryTaskEvent(ctx, tx, task, { type: 'ADD_EVIDENCE', fact: evidence });
    return done.outcome === 'applied' && done.recorded ? 'evidence_added' : 'already_recorded';
  };

  // The key's open task, or else (old news) a task already judged clear as of a later day, which
  // keeps the evidence as history (its machine is final).
  const taking = await lockTaskTakingFact(tx, key, fact.firedOn);
  if (taking && (taking.status === 'open' || taking.status === 'acknowledged')) return addEvidence(taking);
  if (taking) {
    return (await recordTaskEvidence(tx, taking, evidence, ctx.now()))
      ? 'evidence_added'
      : 'already_recorded';
  }

  const product = await findProductById(tx, fact.productId);
  if (!product) return 'already_recorded';
  const rule = rules.signals[fact.signal];
  // Only the roles this signal routes to, and the directors who stand in for a missing one.
  const roles = [
    ...new Set([...[...rule.routes, ...(fact.extraRoutes ?? [])].map((r) => r.role), 'director' as const]),
  ];
  const people = peopleWithRoles(await loadRoutingSnapshot(ctx, tx), roles);
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
    at: ctx.now(),
  });
  if (!task) {
    // Another worker opened it between our look and our insert: add to theirs.
    await addEvidence((await lockOpenTask(tx, key))!);
    return 'evidence_added';
  }
  await addEvidence(task);
  await queueNotifications(
    ctx,
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
