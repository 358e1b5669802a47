import {
  findCosts,
  findExistingIds,
  findPersonById,
  insertAudit,
  insertProduct,
  listCompetitorPrices,
  listLaunchBranchIds,
  listPriceApprovals,
  listPrices,
  listProducts,
  listStandingReviewDecisions,
  listTransitions,
  replaceLaunchBranches,
  updateProductFields,
  type ProductRow,
  type ProductFilter,
} from '@tower/db';
import {
  AppError,
  countDistinctObservations,
  floorFen,
  unitCostFen,
  type Sheet,
  fieldProblem,
  type FieldProblem,
} from '@tower/domain';
import {
  acceptedEvents,
  initialLifecycleSnapshot,
  persistLifecycleSnapshot,
  restoreLifecycleSnapshot,
  subStateOf,
} from '@tower/workflow-lifecycle';
import { canEditProduct, requirePerson, visibleDepartmentIds } from './access.js';
import type { Actor, EngineContext } from './context.js';
import { replanLaunchChecklist } from './launch-plan.commands.js';
import { loadRules } from './rules.commands.js';
import { reviewDecisionReason } from './reviews/decision-reason.js';
import type { LaunchBranchesInput, NewProductInput, RetirementInput } from './products.inputs.js';
import { editProduct, findVisibleProduct, requireEditableStage } from './product-edit.js';

export { findVisibleProduct, productNotFound } from './product-edit.js';

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
  const problems: FieldProblem[] = [];
  if (!(await findExistingIds(ctx.db, 'departments', [input.departmentId])).has(input.departmentId)) {
    problems.push(fieldProblem('/departmentId', 'NO_SUCH_DEPARTMENT'));
  }
  const owner = await findPersonById(ctx.db, input.ownerId);
  if (!owner || !owner.active || !owner.roles.some((r) => r.role === 'product_manager')) {
    problems.push(fieldProblem('/ownerId', 'OWNER_NOT_PRODUCT_MANAGER'));
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
      at: ctx.now(),
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
    floorFen: unit === null ? null : floorFen(unit, row.tier, rules),
    prices,
    belowFloorApprovals: approvals,
    retirementEndOn: row.retirementEndOn,
    outstandingPrepaidSessions: row.outstandingPrepaidSessions,
  };
}

export async function getProducts(
  ctx: EngineContext,
  actor: Actor,
  filter: Omit<ProductFilter, 'departmentIds'>,
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
    await updateProductFields(tx, productId, { sheet: sheet }, ctx.now());
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
    await updateProductFields(tx, productId, { targetCustomers: description }, ctx.now());
    return { result: { description }, audit: { description } };
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
    .map(({ i }) => fieldProblem(`/branchIds/${i}`, 'NO_SUCH_BRANCH'));
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
      await updateProductFields(tx, productId, { targetLaunchDate: input.targetLaunchDate }, ctx.now());
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
/** Prepaid session cards still to honour, and the last day they will be (the retirement gate reads both). */
export async function setRetirementTerms(
  ctx: EngineContext,
  actor: Actor,
  productId: string,
  input: RetirementInput,
) {
  return editProduct(ctx, actor, productId, 'product.retirement_terms_set', canEditProduct, async (tx) => {
    await updateProductFields(
      tx,
      productId,
      {
        outstandingPrepaidSessions: input.outstandingPrepaidSessions,
        ...(input.endOn !== undefined ? { retirementEndOn: input.endOn } : {}),
      },
      ctx.now(),
    );
    return { result: { ...input }, audit: { ...input } };
  });
}
/**
 * Every transition of the product, and beside them the review decisions that moved nothing (keep,
 * promote: `event` is the decision, from and to the stage it stayed in), in the order they happened.
 */
export async function getHistory(ctx: EngineContext, actor: Actor, productId: string) {
  await findVisibleProduct(ctx.db, requirePerson(actor), productId);
  const [rows, decisions] = await Promise.all([
    listTransitions(ctx.db, productId),
    listStandingReviewDecisions(ctx.db, productId),
  ]);
  const transitions = rows.map((r) => ({
    at: r.at,
    actor: r.actorId,
    event: r.event,
    from: r.fromStage,
    to: r.toStage,
    version: r.version,
    reason: r.reason,
  }));
  const standing = decisions.map((d) => ({
    at: d.decidedAt,
    actor: d.decidedBy,
    event: d.decision.toUpperCase(),
    from: d.stage,
    to: d.stage,
    version: d.productVersion,
    reason: reviewDecisionReason(d.quarter, d.note),
  }));
  // A stable merge: transitions keep their order, each decision goes after what happened before it.
  return [...transitions, ...standing]
    .map((entry, i) => ({ entry, i }))
    .sort((a, b) => a.entry.at.getTime() - b.entry.at.getTime() || a.i - b.i)
    .map(({ entry }) => entry);
}
