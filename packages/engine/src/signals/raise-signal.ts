import {
  findProductById,
  findProductsByIds,
  findSilencedKeys,
  insertSignal,
  insertSignalsWithEvidence,
  insertTaskIfNoneOpen,
  insertTasksIfNoneOpen,
  isSilenced,
  lockOpenTask,
  lockTaskTakingFact,
  lockTasksTakingFacts,
  type NewTask,
  type OutboxMessage,
  type TaskRow,
  type Tx,
} from '@tower/db';
import { routeSignal, type Evidence, type RouteTarget, type Rules, type Signal } from '@tower/domain';
import { jobIdFor } from '@tower/queue';
import { initialReviewTaskSnapshot, persistReviewTaskSnapshot } from '@tower/workflow-review-task';
import type { EngineContext } from '../context.js';
import { recordTaskEvidence } from '../tasks/task-evidence.js';
import { addsEvidenceOnly, tryTaskEvent } from '../tasks/task-machine.js';
import { loadRoutingSnapshot, peopleWithRoles } from './routing-snapshot.js';
import { notificationsFor, queueNotifications, type NotificationRow } from './task-notifications.js';

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
  const plan = await planTask(ctx, tx, fact, product, rules);
  const task = await insertTaskIfNoneOpen(tx, plan.task);
  if (!task) {
    // Another worker opened it between our look and our insert: add to theirs.
    await addEvidence((await lockOpenTask(tx, key))!);
    return 'evidence_added';
  }
  await addEvidence(task);
  await queueNotifications(ctx, tx, plan.notificationsFor(task.id), [plan.escalationFor(task.id)]);
  return 'opened';
}

/** The persisted snapshot of a new review task (escalating once, to the director). */
function newTaskSnapshot(): unknown {
  return persistReviewTaskSnapshot(initialReviewTaskSnapshot({ maxEscalationLevel: 1 }));
}

/** What opening a fact's task takes: the row to insert, and its notifications and escalation once made. */
interface TaskPlan {
  readonly task: NewTask;
  notificationsFor(taskId: string): NotificationRow[];
  escalationFor(taskId: string): OutboxMessage;
}

/** Routes a fact's new task from the routing snapshot (the rule's routes, directors standing in for gaps). */
async function planTask(
  ctx: EngineContext,
  tx: Tx,
  fact: SignalFact,
  product: { ownerId: string; departmentId: string },
  rules: Rules,
  snapshot: unknown = newTaskSnapshot(),
): Promise<TaskPlan> {
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
  return {
    task: {
      ...keyOf(fact),
      severity: rule.severity,
      snapshot,
      assignees: [...routing.assignees],
      informed: [...routing.informed],
      dueAt,
      lastFiredOn: fact.firedOn,
      at: ctx.now(),
    },
    notificationsFor: (taskId) => [
      ...notificationsFor(taskId, people, routing.assignees, 'opened'),
      ...notificationsFor(taskId, people, routing.informed, 'informed'),
    ],
    escalationFor: (taskId) => ({
      jobName: 'escalate-task',
      jobId: jobIdFor('escalate-task', taskId, 1),
      payload: { taskId, level: 1 },
      runAt: dueAt,
    }),
  };
}

function keyOf(fact: SignalFact) {
  return {
    productId: fact.productId,
    signal: fact.signal,
    branchId: fact.branchId,
    ...(fact.subjectKey ? { subjectKey: fact.subjectKey } : {}),
  };
}

const keyString = (key: {
  productId: string | null;
  signal: string;
  branchId: string | null;
  subjectKey?: string;
}) => `${key.productId}|${key.signal}|${key.branchId}|${key.subjectKey ?? ''}`;

/**
 * {@link raiseSignal} for many facts in the caller's transaction, in a fixed handful of statements for
 * the common case (a key with no task yet: open it, record the evidence, queue its notifications and
 * escalation, each step one statement for all of them). A silenced key, a key whose task already takes
 * the fact, the later facts of a key, and a key another transaction opened meanwhile go through
 * {@link raiseSignal} one by one, in order. Each fact gets the outcome it would have had, had the facts
 * been raised one after another in order.
 */
export async function raiseSignals(
  ctx: EngineContext,
  tx: Tx,
  facts: readonly SignalFact[],
  rules: Rules,
): Promise<RaiseOutcome[]> {
  const outcomes = new Array<RaiseOutcome | undefined>(facts.length);
  // The first fact of each key may open its task here; the key's later facts follow it one by one.
  const leads = new Map<string, number>();
  facts.forEach((fact, i) => {
    const key = keyString(fact);
    if (!leads.has(key)) leads.set(key, i);
  });
  const silenced = await findSilencedKeys(
    tx,
    [...leads.values()].map((i) => keyOf(facts[i]!)),
    ctx.now(),
  );
  const candidates = [...leads.values()].filter((i) => {
    const f = facts[i]!;
    return !silenced.has(`${f.productId}|${f.signal}|${f.branchId}`);
  });
  const firedFrom = candidates.map((i) => facts[i]!.firedOn).sort()[0];
  const taking = firedFrom
    ? await lockTasksTakingFacts(
        tx,
        candidates.map((i) => keyOf(facts[i]!)),
        firedFrom,
      )
    : [];
  const tasksOfKey = new Map<string, TaskRow[]>();
  for (const task of taking) {
    const key = keyString(task);
    tasksOfKey.set(key, [...(tasksOfKey.get(key) ?? []), task]);
  }
  // A key's open task, or a task judged clear as of the fact's day or later, takes the fact.
  const fresh = candidates.filter(
    (i) =>
      !(tasksOfKey.get(keyString(facts[i]!)) ?? []).some(
        (t) =>
          t.status === 'open' ||
          t.status === 'acknowledged' ||
          (t.resolvedAsOf !== null && t.resolvedAsOf >= facts[i]!.firedOn),
      ),
  );
  const products = new Map(
    (
      await findProductsByIds(
        tx,
        fresh.map((i) => facts[i]!.productId),
      )
    ).map((p) => [p.id, p]),
  );
  const plans: { at: number; plan: TaskPlan }[] = [];
  // Every new task starts from the same snapshot, which takes evidence the same way.
  const snapshot = newTaskSnapshot();
  let evidenceOnly: boolean | undefined;
  for (const at of fresh) {
    const product = products.get(facts[at]!.productId);
    if (!product) {
      outcomes[at] = 'already_recorded';
      continue;
    }
    plans.push({ at, plan: await planTask(ctx, tx, facts[at]!, product, rules, snapshot) });
  }
  const made = new Map(
    (
      await insertTasksIfNoneOpen(
        tx,
        plans.map((p) => p.plan.task),
      )
    ).map((t) => [keyString(t), t]),
  );
  const evidence: Parameters<typeof insertSignalsWithEvidence>[1][number][] = [];
  const notifications: NotificationRow[] = [];
  const escalations: OutboxMessage[] = [];
  for (const { at, plan } of plans) {
    const fact = facts[at]!;
    const task = made.get(keyString(fact));
    // Another transaction opened the key between our look and our insert: one by one, below.
    if (!task) continue;
    evidenceOnly ??= addsEvidenceOnly(task, fact.evidence);
    if (evidenceOnly) {
      evidence.push({
        ...keyOf(fact),
        firedOn: fact.firedOn,
        ...(fact.evidenceKey ? { evidenceKey: fact.evidenceKey } : {}),
        evidence: fact.evidence,
        taskId: task.id,
      });
    } else {
      await tryTaskEvent(ctx, tx, task, {
        type: 'ADD_EVIDENCE',
        fact: {
          key: keyOf(fact),
          firedOn: fact.firedOn,
          evidence: fact.evidence,
          ...(fact.evidenceKey ? { evidenceKey: fact.evidenceKey } : {}),
        },
      });
    }
    notifications.push(...plan.notificationsFor(task.id));
    escalations.push(plan.escalationFor(task.id));
    outcomes[at] = 'opened';
  }
  await insertSignalsWithEvidence(tx, evidence);
  await queueNotifications(ctx, tx, notifications, escalations);
  for (let i = 0; i < facts.length; i++) {
    if (outcomes[i] === undefined) outcomes[i] = await raiseSignal(ctx, tx, facts[i]!, rules);
  }
  return outcomes as RaiseOutcome[];
}
