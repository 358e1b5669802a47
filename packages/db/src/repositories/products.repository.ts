import { sql, type Insertable, type Selectable } from 'kysely';
import { shanghaiDay, type Stage, type Tier } from '@tower/domain';
import type { Executor } from '../connection.js';
import type {
  CompetitorPriceTable,
  LifecycleTransitionTable,
  PriceApprovalTable,
  ProductPriceTable,
  ProductRow,
  ProductTable,
  TraineeTable,
} from '../schema.js';

export type { ProductRow };

export type NewProductValues = Pick<
  Insertable<ProductTable>,
  'name' | 'departmentId' | 'tier' | 'ownerId' | 'vendor' | 'stage'
> & {
  snapshot: unknown;
  /** When it was created, which is when it entered its first stage (the engine's clock). */
  at: Date;
};

export async function insertProduct(db: Executor, product: NewProductValues): Promise<ProductRow> {
  const { at, snapshot, ...values } = product;
  return db
    .insertInto('products')
    .values({
      ...values,
      snapshot: JSON.stringify(snapshot),
      sheet: '{}',
      stageEnteredAt: at,
      createdAt: at,
      updatedAt: at,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findProductById(db: Executor, id: string): Promise<ProductRow | undefined> {
  return db.selectFrom('products').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Products by id, in one statement (those that exist). */
export async function findProductsByIds(db: Executor, ids: readonly string[]): Promise<ProductRow[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('products')
    .selectAll()
    .where('id', 'in', [...new Set(ids)])
    .execute();
}

/** Locks the product row for the rest of the caller's transaction (`SELECT … FOR UPDATE`). */
export async function lockProductById(db: Executor, id: string): Promise<ProductRow | undefined> {
  return db.selectFrom('products').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export interface ProductFilter {
  stage?: Stage;
  departmentId?: string;
  tier?: Tier;
  /**
   * Only the products of this branch's tower: those launching or launched there (one of their launch
   * branches), those selling there (sales recorded at it), and those planned for no branch yet (a product
   * in research or packaging is the whole chain's).
   */
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
      eb.or([
        eb.exists(
          eb
            .selectFrom('launchBranches')
            .select('launchBranches.productId')
            .whereRef('launchBranches.productId', '=', 'products.id')
            .where('launchBranches.branchId', '=', branchId),
        ),
        eb.not(
          eb.exists(
            eb
              .selectFrom('launchBranches')
              .select('launchBranches.productId')
              .whereRef('launchBranches.productId', '=', 'products.id'),
          ),
        ),
        eb.exists(
          eb
            .selectFrom('salesMonthly')
            .select('salesMonthly.productId')
            .whereRef('salesMonthly.productId', '=', 'products.id')
            .where('salesMonthly.branchId', '=', branchId),
        ),
      ]),
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
  stage: Stage;
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
      updatedAt: update.at,
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
  at: Date,
): Promise<void> {
  const { sheet, ...rest } = fields;
  await db
    .updateTable('products')
    .set({ ...rest, ...(sheet ? { sheet: JSON.stringify(sheet) } : {}), updatedAt: at })
    .where('id', '=', id)
    .execute();
}

export async function insertCompetitorPrices(
  db: Executor,
  rows: readonly Omit<Insertable<CompetitorPriceTable>, 'id' | 'createdAt'>[],
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
  at: Date,
): Promise<void> {
  const values = { ...costs, effectiveOn, updatedAt: at };
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
      effectiveFrom: effectiveOn ?? shanghaiDay(at),
      unitCostFen: costs.consumablesFen + costs.labourFen + costs.overheadFen + costs.marketingFen,
      recordedAt: at,
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

export type PriceValues = Pick<Selectable<ProductPriceTable>, 'type' | 'amountFen' | 'sessions'>;

/**
 * Replaces the product's whole price list. A new list price is also recorded in the list-price
 * history, in force from the day of `at` (Asia/Shanghai): the quarterly review's discount reads it.
 */
export async function replacePrices(
  db: Executor,
  productId: string,
  prices: readonly PriceValues[],
  at: Date,
): Promise<void> {
  await db.deleteFrom('productPrices').where('productId', '=', productId).execute();
  if (prices.length === 0) return;
  await db
    .insertInto('productPrices')
    .values(prices.map((p) => ({ productId, ...p, updatedAt: at })))
    .execute();
  const list = prices.find((p) => p.type === 'list');
  if (!list) return;
  await sql`
    insert into list_price_history (product_id, effective_from, amount_fen, recorded_at)
    select ${productId}::uuid, ${shanghaiDay(at)}::date, ${list.amountFen}::bigint, ${at}
    where ${list.amountFen}::bigint is distinct from (
      select amount_fen from list_price_history where product_id = ${productId}::uuid order by id desc limit 1)
  `.execute(db);
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
  rows: readonly Omit<Insertable<PriceApprovalTable>, 'id'>[],
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
  values: Pick<Insertable<TraineeTable>, 'productId' | 'branchId' | 'name' | 'role'>,
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
  row: Omit<Insertable<LifecycleTransitionTable>, 'id'>,
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
export async function listPreLaunchProducts(db: Executor, stages: readonly Stage[]) {
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
