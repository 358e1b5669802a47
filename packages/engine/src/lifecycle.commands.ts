import {
  findCosts,
  insertOutbox,
  insertPriceApprovals,
  insertTransition,
  listCompetitorPrices,
  listLaunchBranchIds,
  listOpenRequiredLaunchItems,
  listPriceApprovals,
  listPrices,
  listTrainees,
  lockProductById,
  updateProductFields,
  updateProductSnapshot,
  type ProductRow,
  type Tx,
} from '@tower/db';
import {
  AppError,
  assertNever,
  canSendLifecycleEvent,
  countDistinctObservations,
  type Rules,
  shanghaiDay,
} from '@tower/domain';
import {
  applyLifecycleEvent,
  persistLifecycleSnapshot,
  restoreLifecycleSnapshot,
  stageOf,
  type LifecycleAction,
  type LifecycleFacts,
} from '@tower/workflow-lifecycle';
import { jobIdFor } from '@tower/queue';
import { canSeeProduct, requirePerson } from './access.js';
import { type Actor, type EngineContext, type PersonActor } from './context.js';
import { makeLaunchChecklist } from './launch-plan.commands.js';
import { productNotFound } from './products.commands.js';
import { loadRules } from './rules.commands.js';
import type { LifecycleEventInput } from './products.inputs.js';

/** Everything the gates read, loaded in the transaction that holds the product row. */
export async function loadLifecycleFacts(
  tx: Tx,
  product: ProductRow,
  rules: Rules,
  today: string,
): Promise<LifecycleFacts> {
  const [competitors, costs, prices, approvals, branchIds, trainees, openItems] = await Promise.all([
    listCompetitorPrices(tx, product.id),
    findCosts(tx, product.id),
    listPrices(tx, product.id),
    listPriceApprovals(tx, product.id),
    listLaunchBranchIds(tx, product.id),
    listTrainees(tx, product.id),
    listOpenRequiredLaunchItems(tx, product.id),
  ]);
  return {
    competitorPriceCount: countDistinctObservations(competitors),
    targetCustomerDescription: product.targetCustomers,
    sheet: product.sheet,
    tier: product.tier,
    costs: costs ?? null,
    prices: prices.map((p) => ({
      type: p.type,
      amountFen: p.amountFen,
      ...(p.sessions ? { sessions: p.sessions } : {}),
    })),
    approvals: approvals.map((a) => ({ type: a.type, amountFen: a.amountFen })),
    launchBranchIds: branchIds,
    trainees: trainees.map((t) => ({
      branchId: t.branchId,
      role: t.role,
      passed: t.passed,
      name: t.name,
    })),
    openChecklistItems: openItems.map((i) => ({
      itemId: i.id,
      title: i.title,
      branchId: i.branchId,
      ownerRole: i.ownerRole,
    })),
    outstandingPrepaidSessions: product.outstandingPrepaidSessions,
    retirementEndOn: product.retirementEndOn,
    today,
    rules,
  };
}

export interface LifecycleEventResult {
  stage: string;
  subState: string | null;
  version: number;
  from: string;
}

async function executeAction(
  ctx: EngineContext,
  tx: Tx,
  action: LifecycleAction,
  product: ProductRow,
  actor: PersonActor,
  input: LifecycleEventInput,
): Promise<void> {
  switch (action.type) {
    case 'createLaunchChecklist': {
      await makeLaunchChecklist(ctx, tx, product, action.params.branchIds, actor.id);
      return;
    }
    case 'recordBelowFloorApproval': {
      const { params } = action;
      await insertPriceApprovals(
        tx,
        params.approvals.map((a) => ({
          productId: product.id,
          ...a,
          approvedBy: actor.id,
          reason: input.reason!,
        })),
      );
      return;
    }
    default:
      return assertNever(action, 'lifecycle action');
  }
}

/**
 * Sends one event to a product's life cycle in one transaction: lock the row, restore the snapshot,
 * XState's pure transition, then snapshot + version + history + side effects + outbox. 409 for an
 * event the stage does not accept, 422 with every reason for a failed gate, 403 for a sender who may not.
 */
export async function sendLifecycleEvent(
  ctx: EngineContext,
  actor: Actor,
  productId: string,
  input: LifecycleEventInput,
): Promise<LifecycleEventResult> {
  return ctx.db.transaction().execute((tx) => sendLifecycleEventInTx(ctx, tx, actor, productId, input));
}

/** {@link sendLifecycleEvent} inside the caller's transaction (a task decision applies it with its own writes). */
export async function sendLifecycleEventInTx(
  ctx: EngineContext,
  tx: Tx,
  actor: Actor,
  productId: string,
  input: LifecycleEventInput,
): Promise<LifecycleEventResult> {
  const person = requirePerson(actor);
  const reason = input.reason?.trim() || undefined;
  const product = await lockProductById(tx, productId);
  if (!product || !canSeeProduct(person, product)) throw productNotFound(productId);
  if (!canSendLifecycleEvent(input.type, person, product)) {
    throw new AppError('ROLE_REQUIRED', `You may not send ${input.type} to this product.`, {
      event: input.type,
    });
  }
  const problems: { field: string; message: string }[] = [];
  if (input.type === 'APPROVE_BELOW_FLOOR' && !reason) {
    problems.push({ field: '/reason', message: 'a below-floor approval needs a reason' });
  }
  if (input.endOn !== undefined && input.type !== 'RETIRE') {
    problems.push({ field: '/endOn', message: 'endOn goes with RETIRE only' });
  }
  if (problems.length > 0) {
    throw new AppError('INVALID_INPUT', 'The event is missing something.', {
      fields: problems,
    });
  }

  const rules = await loadRules(tx);
  const today = shanghaiDay(ctx.now());
  const facts = await loadLifecycleFacts(tx, product, rules, today);
  const snapshot = restoreLifecycleSnapshot(product.snapshot);
  const decision = applyLifecycleEvent(snapshot, { type: input.type, facts });
  if (decision.outcome === 'not_allowed') {
    throw new AppError(
      'LIFECYCLE_EVENT_NOT_ALLOWED',
      `${input.type} is not accepted in stage ${product.stage}.`,
      { stage: product.stage, allowed: decision.allowed },
    );
  }
  if (decision.outcome === 'guard_failed') {
    throw new AppError(
      'LIFECYCLE_GUARD_FAILED',
      `${input.type} is refused: ${decision.reasons.length} reason(s).`,
      {
        stage: product.stage,
        reasons: decision.reasons,
      },
    );
  }

  const from = product.stage;
  const to = stageOf(decision.snapshot);
  const version = await updateProductSnapshot(tx, product.id, {
    stage: to,
    snapshot: persistLifecycleSnapshot(decision.snapshot),
    stageChanged: to !== from,
    at: ctx.now(),
  });
  for (const action of decision.actions) await executeAction(ctx, tx, action, product, person, input);
  if (input.type === 'RETIRE' && input.endOn)
    await updateProductFields(tx, product.id, { retirementEndOn: input.endOn }, ctx.now());
  await insertTransition(tx, {
    productId: product.id,
    event: input.type,
    fromStage: from,
    toStage: to,
    version,
    actorId: person.id,
    reason: reason ?? null,
  });
  await insertOutbox(tx, [
    {
      jobName: 'stage-changed',
      jobId: jobIdFor('stage-changed', product.id, version),
      payload: { productId: product.id, version, from, to },
    },
  ]);
  const subState = decision.snapshot.value;
  return {
    stage: to,
    subState: typeof subState === 'string' ? null : (Object.values(subState)[0] as string),
    version,
    from,
  };
}
