import { sql } from 'kysely';
import type { Executor } from '../connection.js';
import type { ProductRow } from '../schema.js';

export type { ProductRow };

export interface NewProductValues {
  /** When the product entered its first stage; the database clock when left out. */
  stageEnteredAt?: Date;
  name: string;
  departmentId: string;
  tier: string;
  ownerId: string;
  vendor: string | null;
  stage: string;
  snapshot: unknown;
}

export async function insertProduct(db: Executor, values: NewProductValues): Promise<ProductRow> {
  return db
    .insertInto('products')
    .values({ ...values, snapshot: JSON.stringify(values.snapshot), sheet: '{}', updatedAt: new Date() })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findProductById(db: Executor, id: string): Promise<ProductRow | undefined> {
  return db.selectFrom('products').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Locks the product row for the rest of the caller's transaction (`SELECT … FOR UPDATE`). */
export async function lockProductById(db: Executor, id: string): Promise<ProductRow | undefined> {
  return db.selectFrom('products').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export interface ProductFilter {
  stage?: string;
  departmentId?: string;
  tier?: string;
  /** Only products launching (or launched) at this branch: one of their launch branches. */
  branchId?: string;
  /** Restrict to these departments (a department manager's scope); undefined = all. */
  departmentIds?: readonly string[];
  after?: string;
  limit: number;
}

export async function listProducts(db: Executor, filter: ProductFilter): Promise<ProductRow[]> {
  let query = db.selectFrom('products').selectAll();
  if (filter.stage) query = query.where('stage', '=', filter.stage);
  if (filter.departmentId) query = query.where('departmentId', '=', filter.departmentId);
  if (filter.tier) query = query.where('tier', '=', filter.tier);
  const branchId = filter.branchId;
  if (branchId) {
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('launchBranches')
          .select('launchBranches.productId')
          .whereRef('launchBranches.productId', '=', 'products.id')
          .where('launchBranches.branchId', '=', branchId),
      ),
    );
  }
  if (filter.departmentIds) {
    if (filter.departmentIds.length === 0) return [];
    query = query.where('departmentId', 'in', [...filter.departmentIds]);
  }
  if (filter.after) query = query.where('id', '>', filter.after);
  return query.orderBy('id').limit(filter.limit).execute();
}

export interface SnapshotUpdate {
  stage: string;
  snapshot: unknown;
  stageChanged: boolean;
  /** When it happened (the engine's clock): the new stage's entry time when the stage changed. */
  at: Date;
}

/** Writes the next snapshot and bumps the version; returns the new version. */
export async function updateProductSnapshot(
  db: Executor,
  id: string,
  update: SnapshotUpdate,
): Promise<number> {
  const row = await db
    .updateTable('products')
    .set({
      stage: update.stage,
      snapshot: JSON.stringify(update.snapshot),
      version: sql`version + 1`,
      updatedAt: new Date(),
      ...(update.stageChanged ? { stageEnteredAt: update.at } : {}),
    })
    .where('id', '=', id)
    .returning('version')
    .executeTakeFirstOrThrow();
  return row.version;
}

export async function updateProductFields(
  db: Executor,
  id: string,
  fields: {
    sheet?: Record<string, unknown>;
    targetCustomers?: string;
    targetLaunchDate?: string;
    retirementEndOn?: string | null;
    outstandingPrepaidSessions?: number;
  },
): Promise<void> {
  const { sheet, ...rest } = fields;
  await db
    .updateTable('products')
    .set({ ...rest, ...(sheet ? { sheet: JSON.stringify(sheet) } : {}), updatedAt: new Date() })
    .where('id', '=', id)
    .execute();
}

export async function insertCompetitorPrices(
  db: Executor,
  rows: readonly {
    productId: string;
    competitor: string;
    priceFen: number;
    observedAt: string;
    platform: string | null;
    note: string | null;
    createdBy: string | null;
  }[],
): Promise<{ id: string }[]> {
  const ids: { id: string }[] = [];
  // 7 parameters a row: chunks of 5,000 stay under Postgres's 65,535 bound parameters.
  for (let start = 0; start < rows.length; start += 5000) {
    const chunk = rows.slice(start, start + 5000);
    ids.push(...(await db.insertInto('competitorPrices').values(chunk).returning('id').execute()));
  }
  return ids;
}

export async function listCompetitorPrices(db: Executor, productId: string) {
  return db
    .selectFrom('competitorPrices')
    .select(['id', 'competitor', 'priceFen', 'observedAt', 'platform', 'note', 'createdAt'])
    .where('productId', '=', productId)
    .orderBy('observedAt', 'desc')
    .orderBy('id')
    .execute();
}

export interface CostValues {
  consumablesFen: number;
  labourFen: number;
  overheadFen: number;
  marketingFen: number;
}

export async function upsertCosts(
  db: Executor,
  productId: string,
  costs: CostValues,
  effectiveOn: string | null,
): Promise<void> {
  const values = { ...costs, effectiveOn, updatedAt: new Date() };
  await db
    .insertInto('productCosts')
    .values({ productId, ...values })
    .onConflict((oc) => oc.column('productId').doUpdateSet(values))
    .execute();
  // The history the quarterly review reads: which unit cost was in force when each sale was made.
  await db
    .insertInto('productCostHistory')
    .values({
      productId,
      effectiveFrom: effectiveOn ?? sql<string>`(now() at time zone 'Asia/Shanghai')::date`,
      unitCostFen: costs.consumablesFen + costs.labourFen + costs.overheadFen + costs.marketingFen,
    })
    .execute();
}

export async function findCosts(
  db: Executor,
  productId: string,
): Promise<(CostValues & { effectiveOn: string | null }) | undefined> {
  return db
    .selectFrom('productCosts')
    .select(['consumablesFen', 'labourFen', 'overheadFen', 'marketingFen', 'effectiveOn'])
    .where('productId', '=', productId)
    .executeTakeFirst();
}

export interface PriceValues {
  type: string;
  amountFen: number;
  sessions: number | null;
}

/** Replaces the product's whole price list. */
export async function replacePrices(
  db: Executor,
  productId: string,
  prices: readonly PriceValues[],
): Promise<void> {
  await db.deleteFrom('productPrices').where('productId', '=', productId).execute();
  if (prices.length === 0) return;
  await db
    .insertInto('productPrices')
    .values(prices.map((p) => ({ productId, ...p, updatedAt: new Date() })))
    .execute();
}

export async function listPrices(db: Executor, productId: string): Promise<PriceValues[]> {
  return db
    .selectFrom('productPrices')
    .select(['type', 'amountFen', 'sessions'])
    .where('productId', '=', productId)
    .orderBy('type')
    .execute();
}

export async function insertPriceApprovals(
  db: Executor,
  rows: readonly { productId: string; type: string; amountFen: number; approvedBy: string; reason: string }[],
): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('priceApprovals')
    .values([...rows])
    .execute();
}

export async function listPriceApprovals(db: Executor, productId: string) {
  return db
    .selectFrom('priceApprovals')
    .select(['type', 'amountFen', 'approvedBy', 'reason', 'createdAt'])
    .where('productId', '=', productId)
    .orderBy('createdAt')
    .execute();
}

export async function replaceLaunchBranches(
  db: Executor,
  productId: string,
  branchIds: readonly string[],
): Promise<void> {
  await db.deleteFrom('launchBranches').where('productId', '=', productId).execute();
  if (branchIds.length === 0) return;
  await db
    .insertInto('launchBranches')
    .values([...new Set(branchIds)].map((branchId) => ({ productId, branchId })))
    .execute();
}

export async function listLaunchBranchIds(db: Executor, productId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('launchBranches')
    .select('branchId')
    .where('productId', '=', productId)
    .orderBy('branchId')
    .execute();
  return rows.map((r) => r.branchId);
}

export async function insertTrainee(
  db: Executor,
  values: { productId: string; branchId: string; name: string; role: string },
): Promise<string> {
  const row = await db.insertInto('trainees').values(values).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function findTraineeById(db: Executor, productId: string, traineeId: string) {
  return db
    .selectFrom('trainees')
    .select(['id', 'branchId'])
    .where('id', '=', traineeId)
    .where('productId', '=', productId)
    .executeTakeFirst();
}

export async function recordTraineeResult(
  db: Executor,
  productId: string,
  traineeId: string,
  result: { passed: boolean; score: number | null; at: string },
): Promise<boolean> {
  const updated = await db
    .updateTable('trainees')
    .set({ passed: result.passed, score: result.score, resultAt: result.at })
    .where('id', '=', traineeId)
    .where('productId', '=', productId)
    .executeTakeFirst();
  return updated.numUpdatedRows > 0n;
}

export async function listTrainees(db: Executor, productId: string) {
  const rows = await db
    .selectFrom('trainees')
    .select(['id', 'branchId', 'name', 'role', 'passed', 'score', 'resultAt', 'createdAt'])
    .where('productId', '=', productId)
    .orderBy('createdAt')
    .orderBy('id')
    .execute();
  // `numeric` comes back from pg as text; a score is a number on the wire.
  return rows.map((row) => ({ ...row, score: row.score === null ? null : Number(row.score) }));
}

export async function insertTransition(
  db: Executor,
  row: {
    productId: string;
    event: string;
    fromStage: string | null;
    toStage: string;
    version: number;
    actorId: string | null;
    reason: string | null;
  },
): Promise<void> {
  await db.insertInto('lifecycleTransitions').values(row).execute();
}

export async function listTransitions(db: Executor, productId: string) {
  return db
    .selectFrom('lifecycleTransitions')
    .select(['at', 'actorId', 'event', 'fromStage', 'toStage', 'version', 'reason'])
    .where('productId', '=', productId)
    .orderBy('id')
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
