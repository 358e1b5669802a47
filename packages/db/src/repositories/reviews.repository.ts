import { sql } from 'kysely';
import type { LifecycleEventType, ReviewDecision, Severity, Stage } from '@tower/domain';
import type { Executor } from '../connection.js';

export interface ReviewRecord {
  id: string;
  quarter: string;
  status: string;
  departments: unknown;
  productCount: number;
  requestedBy: string | null;
  computedAt: Date | null;
  computeMs: number | null;
  runs: number;
  createdAt: Date;
  updatedAt: Date;
}

/** The review of a quarter, made if it does not exist yet (one per quarter, whoever asks first). */
export async function upsertReview(
  db: Executor,
  quarter: string,
  requestedBy: string | null,
  at: Date,
): Promise<{ id: string; created: boolean }> {
  const inserted = await db
    .insertInto('reviews')
    .values({ quarter, requestedBy, createdAt: at, updatedAt: at })
    .onConflict((oc) => oc.column('quarter').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted) return { id: inserted.id, created: true };
  const existing = await db
    .selectFrom('reviews')
    .select('id')
    .where('quarter', '=', quarter)
    .executeTakeFirstOrThrow();
  return { id: existing.id, created: false };
}

export async function findReviewById(db: Executor, id: string): Promise<ReviewRecord | undefined> {
  return db.selectFrom('reviews').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Locks the review row: two runs of one quarter compute one after the other, never interleaved. */
export async function lockReviewById(db: Executor, id: string): Promise<ReviewRecord | undefined> {
  return db.selectFrom('reviews').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

/** Reviews without their figures, newest quarter first within a page ordered by id (the cursor). */
export async function listReviews(db: Executor, page: { after?: string; limit: number }) {
  let query = db
    .selectFrom('reviews')
    .select([
      'id',
      'quarter',
      'status',
      'productCount',
      'computedAt',
      'computeMs',
      'runs',
      'createdAt',
      sql<number>`jsonb_array_length(departments)::int`.as('departmentCount'),
    ]);
  if (page.after) query = query.where('id', '>', page.after);
  return query.orderBy('id').limit(page.limit).execute();
}

export async function saveReviewFigures(
  db: Executor,
  id: string,
  figures: { departments: unknown; productCount: number; computedAt: Date; computeMs: number },
): Promise<void> {
  await db
    .updateTable('reviews')
    .set({
      status: 'ready',
      departments: JSON.stringify(figures.departments),
      productCount: figures.productCount,
      computedAt: figures.computedAt,
      computeMs: figures.computeMs,
      runs: sql`runs + 1`,
      updatedAt: figures.computedAt,
    })
    .where('id', '=', id)
    .execute();
}

export async function listReviewDecisions(db: Executor, reviewId: string) {
  return db
    .selectFrom('reviewDecisions')
    .selectAll()
    .where('reviewId', '=', reviewId)
    .orderBy('decidedAt')
    .execute();
}

/** Records a product's decision on a review once; undefined when one is already recorded. */
export async function insertReviewDecision(
  db: Executor,
  decision: {
    reviewId: string;
    productId: string;
    decision: ReviewDecision;
    note: string;
    decidedBy: string;
    lifecycleEvent: LifecycleEventType | null;
    stage: Stage;
    productVersion: number;
    decidedAt: Date;
  },
) {
  return db
    .insertInto('reviewDecisions')
    .values(decision)
    .onConflict((oc) => oc.columns(['reviewId', 'productId']).doNothing())
    .returningAll()
    .executeTakeFirst();
}

/**
 * A product's review decisions that moved nothing (keep, promote: no lifecycle event), with the
 * quarter they were taken in: its history shows them beside its transitions.
 */
export async function listStandingReviewDecisions(db: Executor, productId: string) {
  return db
    .selectFrom('reviewDecisions')
    .innerJoin('reviews', 'reviews.id', 'reviewDecisions.reviewId')
    .select([
      'reviewDecisions.decision',
      'reviewDecisions.note',
      'reviewDecisions.decidedBy',
      'reviewDecisions.decidedAt',
      'reviewDecisions.stage',
      'reviewDecisions.productVersion',
      'reviews.quarter',
    ])
    .where('reviewDecisions.productId', '=', productId)
    .where('reviewDecisions.lifecycleEvent', 'is', null)
    .orderBy('reviewDecisions.decidedAt')
    .execute();
}

/** Opens the review task of a department once per review; a rerun finds the one it made. */
export async function insertReviewTask(
  db: Executor,
  task: {
    reviewId: string;
    departmentId: string;
    severity: Severity;
    snapshot: unknown;
    assignees: string[];
    dueAt: Date;
    lastFiredOn: string;
    /** When the engine opened it. */
    at: Date;
  },
): Promise<{ id: string; created: boolean }> {
  const inserted = await db
    .insertInto('tasks')
    .values({
      productId: null,
      branchId: null,
      reviewId: task.reviewId,
      departmentId: task.departmentId,
      signal: 'quarterly_review',
      severity: task.severity,
      status: 'open',
      snapshot: JSON.stringify(task.snapshot),
      assignees: task.assignees,
      dueAt: task.dueAt,
      lastFiredOn: task.lastFiredOn,
      createdAt: task.at,
      updatedAt: task.at,
    })
    .onConflict((oc) =>
      oc.columns(['reviewId', 'departmentId']).where('reviewId', 'is not', null).doNothing(),
    )
    .returning('id')
    .executeTakeFirst();
  if (inserted) return { id: inserted.id, created: true };
  const existing = await db
    .selectFrom('tasks')
    .select('id')
    .where('reviewId', '=', task.reviewId)
    .where('departmentId', '=', task.departmentId)
    .executeTakeFirstOrThrow();
  return { id: existing.id, created: false };
}

/** The review tasks of a review, by department. */
export async function listReviewTasks(db: Executor, reviewId: string) {
  return db
    .selectFrom('tasks')
    .select(['id', 'departmentId', 'status', 'assignees'])
    .where('reviewId', '=', reviewId)
    .execute();
}

/** Active product managers with their department scopes (null = chain-wide). */
export async function listProductManagers(db: Executor) {
  return db
    .selectFrom('personRoles')
    .innerJoin('people', 'people.id', 'personRoles.personId')
    .select(['people.id', 'personRoles.departmentId'])
    .where('personRoles.role', '=', 'product_manager')
    .where('people.active', '=', true)
    .orderBy('people.id')
    .execute();
}
