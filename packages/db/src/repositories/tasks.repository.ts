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

/**
 * The open tasks of a product's branch keys (no subject) for `signals`, locked, by
 * `${signal}|${branchId}`: what a product's evaluation follows in memory instead of one look per key.
 */
export async function lockOpenBranchTasks(
  db: Executor,
  productId: string,
  signals: readonly Signal[],
): Promise<Map<string, TaskRow>> {
  const rows = await db
    .selectFrom('tasks')
    .selectAll()
    .where('productId', '=', productId)
    .where('signal', 'in', [...signals])
    .where('branchId', 'is not', null)
    .where('subjectKey', '=', '')
    .where('status', 'in', ['open', 'acknowledged'])
    .orderBy('id')
    .forUpdate()
    .execute();
  return new Map(rows.map((r) => [`${r.signal}|${r.branchId}`, r]));
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

/** Keys as unnest arrays (a null branch as NO_BRANCH, as the key indexes have it). */
function keyArrays(keys: readonly TaskKey[]) {
  return {
    products: keys.map((k) => k.productId),
    signals: keys.map((k) => k.signal as string),
    branches: keys.map((k) => k.branchId ?? NO_BRANCH),
    subjects: keys.map((k) => k.subjectKey ?? ''),
  };
}

/** The tasks of `keys` that are open, or also resolved as of `resolvedFrom` or later, locked in id order. */
async function lockTasksOfKeys(
  db: Executor,
  keys: readonly TaskKey[],
  resolvedFrom: string | null,
): Promise<TaskRow[]> {
  if (keys.length === 0) return [];
  const k = keyArrays(keys);
  const resolved = resolvedFrom === null ? sql`` : sql`or t.resolved_as_of >= ${resolvedFrom}::date`;
  const { rows } = await sql<TaskRow>`
    select t.* from tasks t
    join unnest(${k.products}::uuid[], ${k.signals}::text[], ${k.branches}::uuid[], ${k.subjects}::text[])
      as k(product_id, signal, branch_key, subject_key)
      on t.product_id = k.product_id and t.signal = k.signal
      and coalesce(t.branch_id, ${NO_BRANCH}::uuid) = k.branch_key and t.subject_key = k.subject_key
    where t.status in ('open', 'acknowledged') ${resolved}
    order by t.id
    for update of t
  `.execute(db);
  return rows;
}

/**
 * {@link lockTaskTakingFact} for many keys in one statement: every task of `keys` that is open, or
 * auto-resolved as of `firedOnFrom` or later, locked (in id order). The caller picks each fact's task.
 */
export async function lockTasksTakingFacts(
  db: Executor,
  keys: readonly TaskKey[],
  firedOnFrom: string,
): Promise<TaskRow[]> {
  return lockTasksOfKeys(db, keys, firedOnFrom);
}

/** The open tasks of `keys`, locked (in id order), in one statement. */
export async function lockOpenTasksOfKeys(db: Executor, keys: readonly TaskKey[]): Promise<TaskRow[]> {
  return lockTasksOfKeys(db, keys, null);
}

/**
 * {@link insertTaskIfNoneOpen} for many keys in one statement (each key at most once). Returns the rows
 * made; a key another transaction holds open is left out. Rows go in key order, so two batches racing
 * on the same keys wait for each other in one order instead of deadlocking.
 */
export async function insertTasksIfNoneOpen(db: Executor, tasks: readonly NewTask[]): Promise<TaskRow[]> {
  if (tasks.length === 0) return [];
  const order = (t: NewTask) => `${t.productId}|${t.signal}|${t.branchId ?? NO_BRANCH}|${t.subjectKey ?? ''}`;
  const sorted = [...tasks].sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
  // A person list per row: unnest would flatten uuid[][], so each list travels as its array literal.
  const list = (ids: readonly string[]) => `{${ids.join(',')}}`;
  const { rows } = await sql<TaskRow>`
    insert into tasks (product_id, branch_id, signal, subject_key, severity, status, snapshot, assignees,
      informed, due_at, last_fired_on, created_at, updated_at)
    select t.product_id, t.branch_id, t.signal, t.subject_key, t.severity, 'open', t.snapshot,
      t.assignees::uuid[], t.informed::uuid[], t.due_at, t.last_fired_on, t.at, t.at
    from unnest(${sorted.map((t) => t.productId)}::uuid[], ${sorted.map((t) => t.branchId)}::uuid[],
      ${sorted.map((t) => t.signal as string)}::text[], ${sorted.map((t) => t.subjectKey ?? '')}::text[],
      ${sorted.map((t) => t.severity as string)}::text[], ${sorted.map((t) => JSON.stringify(t.snapshot))}::jsonb[],
      ${sorted.map((t) => list(t.assignees ?? []))}::text[], ${sorted.map((t) => list(t.informed))}::text[],
      ${sorted.map((t) => t.dueAt ?? null)}::timestamptz[], ${sorted.map((t) => t.lastFiredOn ?? null)}::date[],
      ${sorted.map((t) => t.at)}::timestamptz[]) with ordinality
      as t(product_id, branch_id, signal, subject_key, severity, snapshot, assignees, informed, due_at,
        last_fired_on, at, i)
    order by t.i
    on conflict (product_id, signal, coalesce(branch_id, ${NO_BRANCH}::uuid), subject_key)
      where status in ('open', 'acknowledged')
      do nothing
    returning *
  `.execute(db);
  return rows;
}
