import {
  deleteSilence,
  findProductById,
  findSilenceById,
  findTaskById,
  insertAudit,
  insertSilence,
  insertTaskComment,
  listNotifications,
  listSilences,
  listTaskComments,
  listTaskEvidence,
  listTasks,
  lockTaskById,
  updateTask,
  type TaskRow,
  type Tx,
} from '@tower/db';
import { AppError } from '@tower/domain';
import {
  isLifecycleDecision,
  LIFECYCLE_EVENT_FOR_DECISION,
  persistReviewTaskSnapshot,
  restoreReviewTaskSnapshot,
  reviewTaskMachine,
  type ReviewTaskEvent,
} from '@tower/workflow-review-task';
import { transition } from 'xstate';
import { canEditProduct, canSeeProduct, requirePerson, visibleDepartmentIds } from './access.js';
import { hasRole, type Actor, type EngineContext, type PersonActor } from './context.js';
import { sendLifecycleEventInTx } from './lifecycle.commands.js';
import { findVisibleProduct } from './products.commands.js';
import type { ResolveInput, SilenceInput } from './tasks.inputs.js';

export interface TaskView {
  id: string;
  signal: string;
  productId: string;
  branchId: string | null;
  severity: string;
  status: string;
  assignees: string[];
  informed: string[];
  dueAt: Date;
  escalationLevel: number;
  lastFiredOn: string | null;
  decision: string | null;
  resolutionNote: string | null;
  resolvedBy: string | null;
  resolvedAt: Date | null;
  acknowledgedBy: string | null;
  acknowledgedAt: Date | null;
  feedbackUseful: boolean | null;
  createdAt: Date;
  evidence: { firedOn: string; data: unknown }[];
}

function toView(row: TaskRow, evidence: { taskId: string; firedOn: string; data: unknown }[]): TaskView {
  return {
    id: row.id,
    signal: row.signal,
    productId: row.productId,
    branchId: row.branchId,
    severity: row.severity,
    status: row.status,
    assignees: row.assignees,
    informed: row.informed,
    dueAt: row.dueAt,
    escalationLevel: row.escalationLevel,
    lastFiredOn: row.lastFiredOn,
    decision: row.decision,
    resolutionNote: row.resolutionNote,
    resolvedBy: row.resolvedBy,
    resolvedAt: row.resolvedAt,
    acknowledgedBy: row.acknowledgedBy,
    acknowledgedAt: row.acknowledgedAt,
    feedbackUseful: row.feedbackUseful,
    createdAt: row.createdAt,
    evidence: evidence.filter((e) => e.taskId === row.id).map(({ firedOn, data }) => ({ firedOn, data })),
  };
}

/**
 * The (department, branch) scopes of a person confined to some departments (department managers);
 * undefined for the chain-wide roles, who see every task.
 */
function taskScopes(actor: PersonActor): { departmentId: string; branchId: string | null }[] | undefined {
  if (visibleDepartmentIds(actor) === undefined) return undefined;
  return actor.roles
    .filter((r) => r.role === 'department_manager' && r.departmentId !== null)
    .map((r) => ({ departmentId: r.departmentId!, branchId: r.branchId }));
}

function canSeeTask(actor: PersonActor, task: TaskRow, product: { departmentId: string }): boolean {
  if (task.assignees.includes(actor.id) || task.informed.includes(actor.id)) return true;
  const scopes = taskScopes(actor);
  // Each grant is a (department, branch) pair: matched together, never mixed across grants.
  return (
    scopes === undefined ||
    scopes.some(
      (scope) =>
        scope.departmentId === product.departmentId &&
        (scope.branchId === null || task.branchId === null || scope.branchId === task.branchId),
    )
  );
}

async function visibleTask(
  ctx: EngineContext,
  tx: Tx | EngineContext['db'],
  actor: PersonActor,
  id: string,
  lock: boolean,
) {
  const task = lock ? await lockTaskById(tx, id) : await findTaskById(tx, id);
  const product = task && (await findProductById(tx, task.productId));
  if (!task || !product || !canSeeTask(actor, task, product)) {
    throw new AppError('TASK_NOT_FOUND', `No task ${id}.`);
  }
  return { task, product };
}

export async function getTasks(
  ctx: EngineContext,
  actor: Actor,
  filter: {
    mine?: boolean;
    status?: string;
    signal?: string;
    productId?: string;
    branchId?: string;
    after?: string;
    limit: number;
  },
): Promise<TaskView[]> {
  const person = requirePerson(actor);
  const scopes = taskScopes(person);
  const rows = await listTasks(ctx.db, {
    ...(filter.mine ? { personId: person.id } : {}),
    ...(filter.status ? { status: filter.status } : {}),
    ...(filter.signal ? { signal: filter.signal } : {}),
    ...(filter.productId ? { productId: filter.productId } : {}),
    ...(filter.branchId ? { branchId: filter.branchId } : {}),
    ...(scopes && !filter.mine ? { scopes } : {}),
    ...(filter.after ? { after: filter.after } : {}),
    limit: filter.limit,
  });
  const evidence = await listTaskEvidence(
    ctx.db,
    rows.map((r) => r.id),
  );
  return rows.map((row) => toView(row, evidence));
}

export async function getTask(ctx: EngineContext, actor: Actor, id: string) {
  const person = requirePerson(actor);
  const { task } = await visibleTask(ctx, ctx.db, person, id, false);
  const [evidence, comments, notifications] = await Promise.all([
    listTaskEvidence(ctx.db, [id]),
    listTaskComments(ctx.db, id),
    listNotifications(ctx.db, id),
  ]);
  return {
    ...toView(task, evidence),
    comments: comments.map((c) => ({ id: c.id, authorId: c.authorId, text: c.text, createdAt: c.createdAt })),
    notifications,
  };
}

/** Assignees act on a task; directors and admins may act on any they can see. */
function canActOnTask(actor: PersonActor, task: TaskRow): boolean {
  return task.assignees.includes(actor.id) || hasRole(actor, 'director') || hasRole(actor, 'admin');
}

function applyTaskEvent(task: TaskRow, event: ReviewTaskEvent) {
  const snapshot = restoreReviewTaskSnapshot(task.snapshot as { value: unknown; context: unknown });
  const [next, actions] = transition(reviewTaskMachine, snapshot, event);
  if (next.value === snapshot.value && actions.length === 0) {
    throw new AppError(
      'TASK_EVENT_NOT_ALLOWED',
      `The task is ${task.status}; ${event.type} does not apply.`,
      {
        status: task.status,
      },
    );
  }
  return { next, actions };
}

export async function acknowledgeTask(ctx: EngineContext, actor: Actor, id: string): Promise<TaskView> {
  const person = requirePerson(actor);
  return ctx.db.transaction().execute(async (tx) => {
    const { task } = await visibleTask(ctx, tx, person, id, true);
    if (!canActOnTask(person, task))
      throw new AppError('ROLE_REQUIRED', 'Only an assignee may acknowledge this task.');
    const { next } = applyTaskEvent(task, { type: 'ACKNOWLEDGE' });
    const changes = {
      status: next.value,
      snapshot: persistReviewTaskSnapshot(next),
      acknowledgedBy: person.id,
      acknowledgedAt: ctx.now(),
    };
    await updateTask(tx, id, changes);
    await insertAudit(tx, { actorId: person.id, action: 'task.acknowledged', entity: 'task', entityId: id });
    return toView({ ...task, ...changes, snapshot: changes.snapshot }, await listTaskEvidence(tx, [id]));
  });
}

export async function commentOnTask(ctx: EngineContext, actor: Actor, id: string, text: string) {
  const person = requirePerson(actor);
  return ctx.db.transaction().execute(async (tx) => {
    await visibleTask(ctx, tx, person, id, false);
    const comment = await insertTaskComment(tx, { taskId: id, authorId: person.id, text });
    return { id: comment.id, authorId: comment.authorId, text: comment.text, createdAt: comment.createdAt };
  });
}

/**
 * Resolves a task with a decision. Decisions that move the life cycle (reprice, repackage, retrain,
 * retire) are sent to the product's machine in the same transaction with the decider as actor; if
 * the machine refuses, nothing is written and the task stays open, with the refusal as the answer.
 */
export async function resolveTask(
  ctx: EngineContext,
  actor: Actor,
  id: string,
  input: ResolveInput,
): Promise<TaskView & { lifecycle?: { stage: string; version: number } }> {
  const person = requirePerson(actor);
  return ctx.db.transaction().execute(async (tx) => {
    const { task } = await visibleTask(ctx, tx, person, id, true);
    if (!canActOnTask(person, task))
      throw new AppError('ROLE_REQUIRED', 'Only an assignee may resolve this task.');
    const { next } = applyTaskEvent(task, { type: 'RESOLVE', decision: input.decision });
    let lifecycle: { stage: string; version: number } | undefined;
    if (isLifecycleDecision(input.decision)) {
      const result = await sendLifecycleEventInTx(ctx, tx, person, task.productId, {
        type: LIFECYCLE_EVENT_FOR_DECISION[input.decision],
        reason: `Task ${task.signal} decision: ${input.note}`,
      });
      lifecycle = { stage: result.stage, version: result.version };
    }
    const changes = {
      status: next.value,
      snapshot: persistReviewTaskSnapshot(next),
      decision: input.decision,
      resolutionNote: input.note,
      resolvedBy: person.id,
      resolvedAt: ctx.now(),
    };
    await updateTask(tx, id, changes);
    await insertAudit(tx, {
      actorId: person.id,
      action: 'task.resolved',
      entity: 'task',
      entityId: id,
      data: { ...input },
    });
    const view = toView({ ...task, ...changes }, await listTaskEvidence(tx, [id]));
    return lifecycle ? { ...view, lifecycle } : view;
  });
}

export async function giveTaskFeedback(ctx: EngineContext, actor: Actor, id: string, useful: boolean) {
  const person = requirePerson(actor);
  return ctx.db.transaction().execute(async (tx) => {
    const { task } = await visibleTask(ctx, tx, person, id, true);
    await updateTask(tx, id, { feedbackUseful: useful, feedbackBy: person.id });
    return { id: task.id, feedbackUseful: useful };
  });
}

export async function createSilence(ctx: EngineContext, actor: Actor, input: SilenceInput) {
  const person = requirePerson(actor);
  if (new Date(input.until) <= ctx.now()) {
    throw new AppError('INVALID_INPUT', 'A silence must end in the future.', {
      fields: [{ field: '/until', message: 'must be in the future' }],
    });
  }
  return ctx.db.transaction().execute(async (tx) => {
    const product = await findVisibleProduct(tx, person, input.productId);
    if (
      !canEditProduct(person, product) &&
      !hasRole(person, 'director') &&
      !hasRole(person, 'marketing_manager')
    ) {
      throw new AppError(
        'ROLE_REQUIRED',
        'Only the owner, a marketing manager, a director or an admin may silence a signal.',
      );
    }
    const silence = await insertSilence(tx, {
      ...input,
      branchId: input.branchId ?? null,
      createdBy: person.id,
    });
    await insertAudit(tx, {
      actorId: person.id,
      action: 'silence.created',
      entity: 'silence',
      entityId: silence.id,
      data: { ...input },
    });
    return silence;
  });
}

export async function getSilences(ctx: EngineContext, actor: Actor, filter: { active?: boolean }) {
  const person = requirePerson(actor);
  const departments = visibleDepartmentIds(person);
  return listSilences(ctx.db, {
    ...(filter.active ? { activeAt: ctx.now() } : {}),
    ...(departments ? { departmentIds: departments } : {}),
  });
}

export async function removeSilence(ctx: EngineContext, actor: Actor, id: string): Promise<void> {
  const person = requirePerson(actor);
  await ctx.db.transaction().execute(async (tx) => {
    const silence = await findSilenceById(tx, id);
    const product = silence && (await findProductById(tx, silence.productId));
    if (!silence || !product || !canSeeProduct(person, product)) {
      throw new AppError('SILENCE_NOT_FOUND', `No silence ${id}.`);
    }
    if (silence.createdBy !== person.id && !canEditProduct(person, product) && !hasRole(person, 'director')) {
      throw new AppError(
        'ROLE_REQUIRED',
        'Only who set the silence, the owner, a director or an admin may lift it.',
      );
    }
    await deleteSilence(tx, id);
    await insertAudit(tx, { actorId: person.id, action: 'silence.deleted', entity: 'silence', entityId: id });
  });
}
