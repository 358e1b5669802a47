import { sql } from 'kysely';
import type { Executor } from '../connection.js';
import type { Insertable } from 'kysely';
import type { Signal, TaskSignal, TaskStatus } from '@tower/domain';
import type { TaskRow, TaskTable } from '../schema.js';
import { NO_BRANCH, tasksOfKey, type SignalKey, type TaskKey } from './task-key.js';

export type { TaskRow };
export type { SignalKey, TaskKey };

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

/**
 * The task a fact of `firedOn` belongs to, locked, in one statement: the key's open task, or else the
 * latest task auto-resolved as of `firedOn` or later (old news joins the task that judged it clear).
 */
export async function lockTaskTakingFact(
  db: Executor,
  key: TaskKey,
  firedOn: string,
): Promise<TaskRow | undefined> {
  return tasksOfKey(db, key)
    .where((eb) => eb.or([eb('status', 'in', ['open', 'acknowledged']), eb('resolvedAsOf', '>=', firedOn)]))
    .orderBy(sql`status in ('open', 'acknowledged')`, 'desc')
    .orderBy(sql`resolved_as_of desc nulls last`)
    .limit(1)
    .forUpdate()
    .executeTakeFirst();
}

/** Every open task of one signal on a product (all branches and subjects), locked. */
export async function lockOpenTasksOfSignal(
  db: Executor,
  productId: string,
  signal: Signal,
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

export type NewTask = TaskKey &
  Pick<Insertable<TaskTable>, 'severity' | 'assignees' | 'dueAt' | 'lastFiredOn'> & {
    snapshot: unknown;
    informed: string[];
    /** When the engine opened it (its clock). */
    at: Date;
  };

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
      createdAt: task.at,
      updatedAt: task.at,
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

/** What a command may change on a task (the snapshot as a value; the time it changed is given apart). */
export type TaskChanges = Partial<
  Omit<
    TaskRow,
    'id' | 'productId' | 'branchId' | 'signal' | 'subjectKey' | 'createdAt' | 'updatedAt' | 'snapshot'
  >
> & { snapshot?: unknown };

export async function updateTask(db: Executor, id: string, changes: TaskChanges, at: Date): Promise<void> {
  const { snapshot, ...rest } = changes;
  await db
    .updateTable('tasks')
    .set({
      ...rest,
      ...(snapshot !== undefined ? { snapshot: JSON.stringify(snapshot) } : {}),
      updatedAt: at,
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
  status?: TaskStatus;
  signal?: TaskSignal;
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
