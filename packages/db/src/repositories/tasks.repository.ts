import { sql } from 'kysely';
import type { Executor } from '../connection.js';
import { productInDepartments } from './scope.js';
import type { TaskRow } from '../schema.js';

export type { TaskRow };

const NO_BRANCH = '00000000-0000-0000-0000-000000000000';

export interface TaskKey {
  productId: string;
  signal: string;
  branchId: string | null;
  subjectKey?: string;
}

/** Every task of a (product, signal, branch, subject) key; a null branch is a key of its own. */
function tasksOfKey(db: Executor, key: TaskKey) {
  return db
    .selectFrom('tasks')
    .selectAll()
    .where('productId', '=', key.productId)
    .where('signal', '=', key.signal)
    .where(sql<string>`coalesce(branch_id, ${NO_BRANCH}::uuid)`, '=', key.branchId ?? NO_BRANCH)
    .where('subjectKey', '=', key.subjectKey ?? '');
}

/** Records that a signal fired for a key on a day; a re-run of the same detection records nothing new. */
export async function insertSignal(
  db: Executor,
  signal: TaskKey & {
    firedOn: string;
    evidenceKey?: string;
    evidence: unknown;
    silenced: boolean;
    taskId: string | null;
  },
): Promise<{ id: number } | undefined> {
  return db
    .insertInto('signals')
    .values({
      productId: signal.productId,
      branchId: signal.branchId,
      signal: signal.signal,
      subjectKey: signal.subjectKey ?? '',
      firedOn: signal.firedOn,
      evidenceKey: signal.evidenceKey ?? '',
      evidence: JSON.stringify(signal.evidence),
      silenced: signal.silenced,
      taskId: signal.taskId,
    })
    .onConflict((oc) =>
      oc
        .expression(
          sql`product_id, signal, coalesce(branch_id, ${NO_BRANCH}::uuid), subject_key, fired_on, evidence_key`,
        )
        .doNothing(),
    )
    .returning('id')
    .executeTakeFirst();
}

/**
 * The latest task of a key auto-resolved as of `firedOn` or later: a fact dated before that
 * resolution (a backfill evaluated out of order) belongs to it, not to a new task.
 */
export async function lockTaskResolvedAsOf(
  db: Executor,
  key: TaskKey,
  firedOn: string,
): Promise<TaskRow | undefined> {
  return tasksOfKey(db, key)
    .where('resolvedAsOf', '>=', firedOn)
    .orderBy('resolvedAsOf', 'desc')
    .limit(1)
    .forUpdate()
    .executeTakeFirst();
}

/** Every open task of one signal on a product (all branches and subjects), locked. */
export async function lockOpenTasksOfSignal(
  db: Executor,
  productId: string,
  signal: string,
): Promise<TaskRow[]> {
  return db
    .selectFrom('tasks')
    .selectAll()
    .where('productId', '=', productId)
    .where('signal', '=', signal)
    .where('status', 'in', ['open', 'acknowledged'])
    .orderBy('id')
    .forUpdate()
    .execute();
}

/** The open (open or acknowledged) task of a key, locked for the caller's transaction. */
export async function lockOpenTask(db: Executor, key: TaskKey): Promise<TaskRow | undefined> {
  return tasksOfKey(db, key).where('status', 'in', ['open', 'acknowledged']).forUpdate().executeTakeFirst();
}

export interface NewTask extends TaskKey {
  severity: string;
  snapshot: unknown;
  assignees: string[];
  informed: string[];
  dueAt: Date;
  lastFiredOn: string;
}

/**
 * Opens a task unless one is already open for its key (the partial unique index decides, so two
 * workers racing open one task). Returns the new row, or undefined when another holds the key.
 */
export async function insertTaskIfNoneOpen(db: Executor, task: NewTask): Promise<TaskRow | undefined> {
  return db
    .insertInto('tasks')
    .values({
      productId: task.productId,
      branchId: task.branchId,
      signal: task.signal,
      subjectKey: task.subjectKey ?? '',
      severity: task.severity,
      status: 'open',
      snapshot: JSON.stringify(task.snapshot),
      assignees: task.assignees,
      informed: task.informed,
      dueAt: task.dueAt,
      lastFiredOn: task.lastFiredOn,
      updatedAt: new Date(),
    })
    .onConflict((oc) =>
      oc
        .expression(sql`product_id, signal, coalesce(branch_id, ${NO_BRANCH}::uuid), subject_key`)
        .where('status', 'in', ['open', 'acknowledged'])
        .doNothing(),
    )
    .returningAll()
    .executeTakeFirst();
}

/** Adds one day's evidence to a task; the same day twice keeps the first (handlers run more than once). */
export async function insertTaskEvidence(
  db: Executor,
  evidence: { taskId: string; firedOn: string; evidenceKey?: string; data: unknown },
): Promise<boolean> {
  const row = await db
    .insertInto('taskEvidence')
    .values({
      taskId: evidence.taskId,
      firedOn: evidence.firedOn,
      evidenceKey: evidence.evidenceKey ?? '',
      data: JSON.stringify(evidence.data),
    })
    .onConflict((oc) => oc.columns(['taskId', 'firedOn', 'evidenceKey']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function listTaskEvidence(db: Executor, taskIds: readonly string[]) {
  if (taskIds.length === 0) return [];
  return db
    .selectFrom('taskEvidence')
    .select(['id', 'taskId', 'firedOn', 'data', 'createdAt'])
    .where('taskId', 'in', [...taskIds])
    .orderBy('firedOn')
    .orderBy('id')
    .execute();
}

export async function updateTask(
  db: Executor,
  id: string,
  changes: Partial<{
    status: string;
    snapshot: unknown;
    assignees: string[];
    escalationLevel: number;
    lastFiredOn: string;
    decision: string;
    resolutionNote: string;
    resolvedBy: string | null;
    resolvedAt: Date;
    resolvedAsOf: string;
    acknowledgedBy: string;
    acknowledgedAt: Date;
    feedbackUseful: boolean;
    feedbackBy: string;
  }>,
): Promise<void> {
  const { snapshot, ...rest } = changes;
  await db
    .updateTable('tasks')
    .set({
      ...rest,
      ...(snapshot !== undefined ? { snapshot: JSON.stringify(snapshot) } : {}),
      updatedAt: new Date(),
    })
    .where('id', '=', id)
    .execute();
}

export async function findTaskById(db: Executor, id: string): Promise<TaskRow | undefined> {
  return db.selectFrom('tasks').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function lockTaskById(db: Executor, id: string): Promise<TaskRow | undefined> {
  return db.selectFrom('tasks').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export interface TaskFilter {
  /** Only tasks where this person is an assignee or informed. */
  personId?: string;
  status?: string;
  signal?: string;
  productId?: string;
  branchId?: string;
  /**
   * Visibility: only tasks matching one of these (department, branch) scopes — the product's
   * department, and the task's branch unless the scope has none (or the task is chain-wide).
   */
  scopes?: readonly { departmentId: string; branchId: string | null }[];
  after?: string;
  limit: number;
}

export async function listTasks(db: Executor, filter: TaskFilter): Promise<TaskRow[]> {
  let query = db.selectFrom('tasks').selectAll('tasks');
  if (filter.personId) {
    const me = filter.personId;
    // Array containment, which the GIN indexes on assignees and informed serve.
    query = query.where((eb) =>
      eb.or([
        eb('tasks.assignees', '@>', sql<string[]>`array[${me}]::uuid[]`),
        eb('tasks.informed', '@>', sql<string[]>`array[${me}]::uuid[]`),
      ]),
    );
  }
  if (filter.status) query = query.where('tasks.status', '=', filter.status);
  if (filter.signal) query = query.where('tasks.signal', '=', filter.signal);
  if (filter.productId) query = query.where('tasks.productId', '=', filter.productId);
  if (filter.branchId) query = query.where('tasks.branchId', '=', filter.branchId);
  if (filter.scopes) {
    if (filter.scopes.length === 0) return [];
    const scopes = [...filter.scopes];
    const departments = [...new Set(scopes.map((scope) => scope.departmentId))];
    query = query.where((eb) =>
      eb.or([
        // A quarterly review task is about its department.
        eb('tasks.departmentId', 'in', departments),
        eb.exists(
          eb
            .selectFrom('products')
            .select('products.id')
            .whereRef('products.id', '=', 'tasks.productId')
            .where((inner) =>
              inner.or(
                scopes.map((scope) =>
                  inner.and([
                    inner('products.departmentId', '=', scope.departmentId),
                    ...(scope.branchId
                      ? [
                          inner.or([
                            inner('tasks.branchId', 'is', null),
                            inner('tasks.branchId', '=', scope.branchId),
                          ]),
                        ]
                      : []),
                  ]),
                ),
              ),
            ),
        ),
      ]),
    );
  }
  if (filter.after) query = query.where('tasks.id', '>', filter.after);
  return query.orderBy('tasks.id').limit(filter.limit).execute();
}

export async function insertTaskComment(
  db: Executor,
  comment: { taskId: string; authorId: string; text: string },
) {
  return db.insertInto('taskComments').values(comment).returningAll().executeTakeFirstOrThrow();
}

export async function listTaskComments(db: Executor, taskId: string) {
  return db
    .selectFrom('taskComments')
    .selectAll()
    .where('taskId', '=', taskId)
    .orderBy('createdAt')
    .orderBy('id')
    .execute();
}

export async function insertSilence(
  db: Executor,
  silence: {
    productId: string;
    signal: string;
    branchId: string | null;
    until: string;
    reason: string;
    createdBy: string;
  },
) {
  return db.insertInto('silences').values(silence).returningAll().executeTakeFirstOrThrow();
}

export async function listSilences(
  db: Executor,
  filter: { activeAt?: Date; departmentIds?: readonly string[] },
) {
  let query = db.selectFrom('silences').selectAll('silences');
  if (filter.activeAt) query = query.where('silences.until', '>', filter.activeAt);
  if (filter.departmentIds) {
    if (filter.departmentIds.length === 0) return [];
    query = query.where(productInDepartments('silences.productId', filter.departmentIds));
  }
  return query.orderBy('silences.createdAt', 'desc').orderBy('silences.id').execute();
}

export async function findSilenceById(db: Executor, id: string) {
  return db.selectFrom('silences').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function deleteSilence(db: Executor, id: string): Promise<void> {
  await db.deleteFrom('silences').where('id', '=', id).execute();
}

/** Is (product, signal[, branch]) silenced at `at`? A silence without a branch covers every branch. */
export async function isSilenced(db: Executor, key: TaskKey, at: Date): Promise<boolean> {
  const row = await db
    .selectFrom('silences')
    .select('id')
    .where('productId', '=', key.productId)
    .where('signal', '=', key.signal)
    .where('until', '>', at)
    .where((eb) =>
      key.branchId
        ? eb.or([eb('branchId', 'is', null), eb('branchId', '=', key.branchId)])
        : eb('branchId', 'is', null),
    )
    .executeTakeFirst();
  return row !== undefined;
}

export interface NewNotification {
  taskId: string;
  personId: string;
  channelId: string | null;
  kind: string;
  reason: string;
}

/** Creates notification rows once per (task, person, channel, reason); returns the ids made now. */
export async function insertNotifications(db: Executor, rows: readonly NewNotification[]): Promise<string[]> {
  if (rows.length === 0) return [];
  const inserted = await db
    .insertInto('notifications')
    .values([...rows])
    .onConflict((oc) => oc.columns(['taskId', 'personId', 'channelId', 'reason']).doNothing())
    .returning('id')
    .execute();
  return inserted.map((r) => r.id);
}

export async function findNotificationById(db: Executor, id: string) {
  return db
    .selectFrom('notifications')
    .leftJoin('personChannels', 'personChannels.id', 'notifications.channelId')
    .select([
      'notifications.id',
      'notifications.taskId',
      'notifications.personId',
      'notifications.kind',
      'notifications.reason',
      'notifications.status',
      'notifications.attempts',
      'personChannels.url',
    ])
    .where('notifications.id', '=', id)
    .executeTakeFirst();
}

export async function recordNotificationAttempt(
  db: Executor,
  attempt: {
    notificationId: string;
    ok: boolean;
    statusCode: number | null;
    error: string | null;
    durationMs: number;
    final: boolean;
  },
): Promise<void> {
  await db
    .insertInto('notificationAttempts')
    .values({
      notificationId: attempt.notificationId,
      ok: attempt.ok,
      statusCode: attempt.statusCode,
      error: attempt.error,
      durationMs: attempt.durationMs,
    })
    .execute();
  await db
    .updateTable('notifications')
    .set({
      attempts: sql`attempts + 1`,
      ...(attempt.ok ? { status: 'sent', sentAt: new Date() } : attempt.final ? { status: 'failed' } : {}),
    })
    .where('id', '=', attempt.notificationId)
    .execute();
}

export async function listNotifications(db: Executor, taskId: string) {
  return db
    .selectFrom('notifications')
    .select(['id', 'personId', 'kind', 'reason', 'status', 'attempts', 'sentAt'])
    .where('taskId', '=', taskId)
    .orderBy('createdAt')
    .execute();
}

/** Products in a pre-launch stage with the day they entered it (Asia/Shanghai), for the stalled sweep. */
export async function listPreLaunchProducts(db: Executor, stages: readonly string[]) {
  return db
    .selectFrom('products')
    .select([
      'id',
      'stage',
      'ownerId',
      'departmentId',
      sql<string>`(stage_entered_at at time zone 'Asia/Shanghai')::date::text`.as('enteredOn'),
    ])
    .where('stage', 'in', [...stages])
    .execute();
}
