import {
  findCosts,
  findExistingIds,
  findPersonById,
  findProductById,
  insertAudit,
  insertCompetitorPrices,
  insertOutbox,
  insertProduct,
  insertTrainee,
  listCompetitorPrices,
  listLaunchBranchIds,
  listPriceApprovals,
  listPrices,
  listProducts,
  listTrainees,
  listTransitions,
  lockProductById,
  recordTraineeResult,
  replaceLaunchBranches,
  replacePrices,
  updateProductFields,
  upsertCosts,
  type Executor,
  type ProductRow,
  type Tx,
} from '@tower/db';
import {
  AppError,
  isFinalStage,
  isLiveStage,
  STAGE_EDIT_RULES,
  countDistinctObservations,
  floorFen,
  unitCostFen,
  type Sheet,
  type Tier,
} from '@tower/domain';
import {
  acceptedEvents,
  initialLifecycleSnapshot,
  persistLifecycleSnapshot,
  restoreLifecycleSnapshot,
  subStateOf,
} from '@tower/workflow-lifecycle';
import {
  canEditProduct,
  canManageTraining,
  canSeeProduct,
  requirePerson,
  visibleDepartmentIds,
} from './access.js';
import type { Actor, EngineContext, PersonActor } from './context.js';
import { replanLaunchChecklist } from './launch-plan.commands.js';
import { loadRules } from './rules.commands.js';
import { costChangeEvaluation } from './signals/evaluation-messages.js';
import type {
  CompetitorPriceInput,
  CostsInput,
  LaunchBranchesInput,
  NewProductInput,
  PriceInput,
  RetirementInput,
  TraineeInput,
  TraineeResultInput,
} from './products.inputs.js';

function requireEditableStage(product: ProductRow, what: keyof typeof STAGE_EDIT_RULES): void {
  const rule = STAGE_EDIT_RULES[what];
  if (!(rule.stages as readonly string[]).includes(product.stage)) {
    throw new AppError(
      'PRODUCT_STAGE_LOCKED',
      `The ${what} cannot change in stage ${product.stage}; send ${rule.reopenWith} from monitoring to change them.`,
      { stage: product.stage, editableIn: rule.stages },
    );
  }
}

export function productNotFound(id: string): AppError {
  return new AppError('PRODUCT_NOT_FOUND', `No product ${id}.`);
}

/** The product if `actor` may see it; unknown and hidden products alike answer 404. */
export async function findVisibleProduct(db: Executor, actor: PersonActor, id: string): Promise<ProductRow> {
  const product = await findProductById(db, id);
  if (!product || !canSeeProduct(actor, product)) throw productNotFound(id);
  return product;
}

/**
 * Runs `change` in a transaction with the product row locked, after checking the actor may see
 * and edit it and that it is not closed; writes an audit row with `audit` data.
 */
async function editProduct<T>(
  ctx: EngineContext,
  actor: Actor,
  productId: string,
  action: string,
  may: (actor: PersonActor, product: ProductRow) => boolean,
  change: (
    tx: Tx,
    product: ProductRow,
    person: PersonActor,
  ) => Promise<{ result: T; audit: Record<string, unknown> }>,
): Promise<T> {
  const person = requirePerson(actor);
  return ctx.db.transaction().execute(async (tx) => {
    const product = await lockProductById(tx, productId);
    if (!product || !canSeeProduct(person, product)) throw productNotFound(productId);
    if (!may(person, product)) {
      throw new AppError(
        'ROLE_REQUIRED',
        'Only the owner product manager or an admin may change this product.',
      );
    }
    if (isFinalStage(product.stage)) {
      throw new AppError('PRODUCT_CLOSED', `The product is ${product.stage}; it can no longer change.`, {
        stage: product.stage,
      });
    }
    const { result, audit } = await change(tx, product, person);
    await insertAudit(tx, {
      actorId: person.id,
      action,
      entity: 'product',
      entityId: productId,
      data: audit,
    });
    return result;
  });
}

export interface ProductView {
  id: string;
  name: string;
  departmentId: string;
  tier: string;
  ownerId: string;
  vendor: string | null;
  stage: string;
  subState: string | null;
  version: number;
  allowedEvents: string[];
  stageEnteredAt: Date;
  createdAt: Date;
  updatedAt: Date;
}

export function toProductView(row: ProductRow): ProductView {
  const snapshot = restoreLifecycleSnapshot(row.snapshot);
  return {
    id: row.id,
    name: row.name,
    departmentId: row.departmentId,
    tier: row.tier,
    ownerId: row.ownerId,
    vendor: row.vendor,
    stage: row.stage,
    subState: subStateOf(snapshot),
    version: row.version,
    allowedEvents: acceptedEvents(snapshot),
    stageEnteredAt: row.stageEnteredAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export async function createProduct(
  ctx: EngineContext,
  actor: Actor,
  input: NewProductInput,
): Promise<ProductView> {
  const person = requirePerson(actor);
  if (!person.roles.some((r) => r.role === 'product_manager' || r.role === 'admin')) {
    throw new AppError('ROLE_REQUIRED', 'Only product managers and admins create products.');
  }
  const problems: { field: string; message: string }[] = [];
  if (!(await findExistingIds(ctx.db, 'departments', [input.departmentId])).has(input.departmentId)) {
    problems.push({ field: '/departmentId', message: 'no such department' });
  }
  const owner = await findPersonById(ctx.db, input.ownerId);
  if (!owner || !owner.active || !owner.roles.some((r) => r.role === 'product_manager')) {
    problems.push({ field: '/ownerId', message: 'the owner must be an active product manager' });
  }
  if (problems.length > 0) {
    throw new AppError('INVALID_INPUT', 'Some fields are not valid.', { fields: problems });
  }
  return ctx.db.transaction().execute(async (tx) => {
    const row = await insertProduct(tx, {
      name: input.name,
      departmentId: input.departmentId,
      tier: input.tier,
      ownerId: input.ownerId,
      vendor: input.vendor ?? null,
      stage: 'research',
      stageEnteredAt: ctx.now(),
      snapshot: persistLifecycleSnapshot(initialLifecycleSnapshot()),
    });
    await insertAudit(tx, {
      actorId: person.id,
      action: 'product.created',
      entity: 'product',
      entityId: row.id,
      data: { ...input },
    });
    return toProductView(row);
  });
}

export interface ProductDetail extends ProductView {
  sheet: Sheet;
  targetCustomers: string | null;
  targetLaunchDate: string | null;
  launchBranchIds: string[];
  competitorPriceCount: number;
  costs: {
    consumablesFen: number;
    labourFen: number;
    overheadFen: number;
    marketingFen: number;
    unitCostFen: number;
  } | null;
  floorFen: number | null;
  prices: { type: string; amountFen: number; sessions: number | null }[];
  belowFloorApprovals: {
    type: string;
    amountFen: number;
    approvedBy: string;
    reason: string;
    createdAt: Date;
  }[];
  retirementEndOn: string | null;
  outstandingPrepaidSessions: number;
}

export async function getProduct(ctx: EngineContext, actor: Actor, id: string): Promise<ProductDetail> {
  const person = requirePerson(actor);
  const row = await findVisibleProduct(ctx.db, person, id);
  const [costs, prices, approvals, branchIds, competitors, rules] = await Promise.all([
    findCosts(ctx.db, id),
    listPrices(ctx.db, id),
    listPriceApprovals(ctx.db, id),
    listLaunchBranchIds(ctx.db, id),
    listCompetitorPrices(ctx.db, id),
    loadRules(ctx.db),
  ]);
  const unit = costs ? unitCostFen(costs) : null;
  return {
    ...toProductView(row),
    sheet: row.sheet,
    targetCustomers: row.targetCustomers,
    targetLaunchDate: row.targetLaunchDate,
    launchBranchIds: branchIds,
    competitorPriceCount: countDistinctObservations(competitors),
    costs:
      costs && unit !== null
        ? {
            consumablesFen: costs.consumablesFen,
            labourFen: costs.labourFen,
            overheadFen: costs.overheadFen,
            marketingFen: costs.marketingFen,
            unitCostFen: unit,
          }
        : null,
    floorFen: unit === null ? null : floorFen(unit, row.tier as Tier, rules),
    prices,
    belowFloorApprovals: approvals,
    retirementEndOn: row.retirementEndOn,
    outstandingPrepaidSessions: row.outstandingPrepaidSessions,
  };
}

export async function getProducts(
  ctx: EngineContext,
  actor: Actor,
  filter: { stage?: string; departmentId?: string; tier?: string; after?: string; limit: number },
): Promise<ProductView[]> {
  const person = requirePerson(actor);
  const rows = await listProducts(ctx.db, { ...filter, departmentIds: visibleDepartmentIds(person) });
  return rows.map(toProductView);
}

export async function saveSheet(
  ctx: EngineContext,
  actor: Actor,
  productId: string,
  sheet: Sheet,
): Promise<Sheet> {
  return editProduct(ctx, actor, productId, 'product.sheet_saved', canEditProduct, async (tx, product) => {
    requireEditableStage(product, 'sheet');
    await updateProductFields(tx, productId, { sheet: sheet });
    return { result: sheet, audit: { fields: Object.keys(sheet) } };
  });
}

export async function setTargetCustomers(
  ctx: EngineContext,
  actor: Actor,
  productId: string,
  description: string,
) {
  return editProduct(ctx, actor, productId, 'product.target_customers_set', canEditProduct, async (tx) => {
    await updateProductFields(tx, productId, { targetCustomers: description });
    return { result: { description }, audit: { description } };
  });
}

export async function addCompetitorPrice(
  ctx: EngineContext,
  actor: Actor,
  productId: string,
  input: CompetitorPriceInput,
): Promise<{ id: string }> {
  return editProduct(
    ctx,
    actor,
    productId,
    'product.competitor_price_added',
    canEditProduct,
    async (tx, _p, person) => {
      const [row] = await insertCompetitorPrices(tx, [
        {
          productId,
          competitor: input.competitor,
          priceFen: input.priceFen,
          observedAt: input.observedAt,
          platform: input.platform ?? null,
          note: input.note ?? null,
          createdBy: person.id,
        },
      ]);
      return { result: { id: row!.id }, audit: { ...input } };
    },
  );
}

export async function getCompetitorPrices(ctx: EngineContext, actor: Actor, productId: string) {
  await findVisibleProduct(ctx.db, requirePerson(actor), productId);
  return listCompetitorPrices(ctx.db, productId);
}

export async function setCosts(ctx: EngineContext, actor: Actor, productId: string, costs: CostsInput) {
  return editProduct(ctx, actor, productId, 'product.costs_set', canEditProduct, async (tx, product) => {
    await upsertCosts(tx, productId, costs, null);
    // On sale, new costs may put a price under its floor: the margin_erosion detector looks.
    if (isLiveStage(product.stage)) await insertOutbox(tx, [costChangeEvaluation(productId)]);
    return { result: { ...costs, unitCostFen: unitCostFen(costs) }, audit: { ...costs } };
  });
}

export async function setPrices(ctx: EngineContext, actor: Actor, productId: string, prices: PriceInput[]) {
  const seen = new Set<string>();
  const problems = prices.flatMap((p, i) => {
    const out: { field: string; message: string }[] = [];
    if (seen.has(p.type)) out.push({ field: `/prices/${i}/type`, message: `${p.type} is listed twice` });
    seen.add(p.type);
    if (p.sessions !== undefined && p.type !== 'session_card') {
      out.push({ field: `/prices/${i}/sessions`, message: 'only a session_card price has sessions' });
    }
    return out;
  });
  if (problems.length > 0) {
    throw new AppError('INVALID_INPUT', 'Some prices are not valid.', { fields: problems });
  }
  return editProduct(ctx, actor, productId, 'product.prices_set', canEditProduct, async (tx, product) => {
    requireEditableStage(product, 'prices');
    const values = prices.map((p) => ({
      type: p.type,
      amountFen: p.amountFen,
      sessions: p.sessions ?? null,
    }));
    await replacePrices(tx, productId, values);
    return { result: { prices: values }, audit: { prices: values } };
  });
}

export async function setLaunchBranches(
  ctx: EngineContext,
  actor: Actor,
  productId: string,
  input: LaunchBranchesInput,
) {
  const existing = await findExistingIds(ctx.db, 'branches', input.branchIds);
  const problems = input.branchIds
    .map((id, i) => ({ id, i }))
    .filter(({ id }) => !existing.has(id))
    .map(({ i }) => ({ field: `/branchIds/${i}`, message: 'no such branch' }));
  if (problems.length > 0) {
    throw new AppError('INVALID_INPUT', 'Some branches do not exist.', { fields: problems });
  }
  return editProduct(
    ctx,
    actor,
    productId,
    'product.launch_branches_set',
    canEditProduct,
    async (tx, product, person) => {
      const branchIds = [...new Set(input.branchIds)];
      await replaceLaunchBranches(tx, productId, branchIds);
      await updateProductFields(tx, productId, { targetLaunchDate: input.targetLaunchDate });
      // During launch the checklist follows the plan; before it there is none yet, after it nothing to re-plan.
      const checklist =
        product.stage === 'launch'
          ? await replanLaunchChecklist(
              ctx,
              tx,
              product,
              { branchIds, targetLaunchDate: input.targetLaunchDate },
              person.id,
            )
          : null;
      return {
        result: { branchIds, targetLaunchDate: input.targetLaunchDate, checklist },
        audit: { ...input, ...(checklist ? { checklist } : {}) },
      };
    },
  );
}

export async function addTrainee(
  ctx: EngineContext,
  actor: Actor,
  productId: string,
  input: TraineeInput,
): Promise<{ id: string }> {
  if (!(await findExistingIds(ctx.db, 'branches', [input.branchId])).has(input.branchId)) {
    throw new AppError('INVALID_INPUT', 'The branch does not exist.', {
      fields: [{ field: '/branchId', message: 'no such branch' }],
    });
  }
  return editProduct(ctx, actor, productId, 'product.trainee_added', canManageTraining, async (tx) => {
    const id = await insertTrainee(tx, { productId, ...input });
    return { result: { id }, audit: { traineeId: id, ...input } };
  });
}

export async function setTraineeResult(
  ctx: EngineContext,
  actor: Actor,
  productId: string,
  traineeId: string,
  input: TraineeResultInput,
) {
  return editProduct(ctx, actor, productId, 'product.trainee_result', canManageTraining, async (tx) => {
    const found = await recordTraineeResult(tx, productId, traineeId, {
      passed: input.passed,
      score: input.score ?? null,
      at: input.at,
    });
    if (!found) throw new AppError('TRAINEE_NOT_FOUND', `No trainee ${traineeId} on this product.`);
    return { result: { id: traineeId, ...input }, audit: { traineeId, ...input } };
  });
}

/** Prepaid session cards still to honour, and the last day they will be (the retirement gate reads both). */
export async function setRetirementTerms(
  ctx: EngineContext,
  actor: Actor,
  productId: string,
  input: RetirementInput,
) {
  return editProduct(ctx, actor, productId, 'product.retirement_terms_set', canEditProduct, async (tx) => {
    await updateProductFields(tx, productId, {
      outstandingPrepaidSessions: input.outstandingPrepaidSessions,
      ...(input.endOn !== undefined ? { retirementEndOn: input.endOn } : {}),
    });
    return { result: { ...input }, audit: { ...input } };
  });
}

export async function getTrainees(ctx: EngineContext, actor: Actor, productId: string) {
  await findVisibleProduct(ctx.db, requirePerson(actor), productId);
  return listTrainees(ctx.db, productId);
}

export async function getHistory(ctx: EngineContext, actor: Actor, productId: string) {
  await findVisibleProduct(ctx.db, requirePerson(actor), productId);
  const rows = await listTransitions(ctx.db, productId);
  return rows.map((r) => ({
    at: r.at,
    actor: r.actorId,
    event: r.event,
    from: r.fromStage,
    to: r.toStage,
    version: r.version,
    reason: r.reason,
  }));
}
