import { createHash } from 'node:crypto';
import {
  claimIdempotencyKeyInTransaction,
  completeIdempotencyKey,
  findCosts,
  findExistingIds,
  findProductRefs,
  holdSalesWriteLocks,
  insertComplaints,
  insertCompetitorPrices,
  insertCostChange,
  insertOutbox,
  lockProductById,
  markComplaintsPending,
  markSalesForEvaluation,
  salesRowsInKeyOrder,
  upsertCosts,
  upsertSalesDaily,
  type NewComplaint,
  type SalesEvaluationMark,
  type Tx,
} from '@tower/db';
import {
  AppError,
  fieldProblem,
  type IngestOutcome,
  maskPhone,
  maskPhonesInText,
  type Role,
  ROLES_THAT_MAY,
  shanghaiDay,
} from '@tower/domain';
import { jobIdFor } from '@tower/queue';
import { GroupCommit } from './group-commit.js';
import { canEditProduct, canSeeProduct, hasAnyRole, holdsRoleAt } from './access.js';
import { type Actor, type EngineContext, type PersonActor } from './context.js';
import { refuse, type Problem } from './problems.js';
import { queueCostChangeEvaluations } from './signals/evaluate-cost-change.js';
import { complaintEvaluation, salesEvaluation } from './signals/evaluation-messages.js';
import type { CompetitorPriceRow, ComplaintInput, CostChangeInput, SalesInputRow } from './ingest.inputs.js';

/** Who may push facts: integrations with the `ingest` scope, and these roles. */
export const INGEST_ROLES: readonly Role[] = ROLES_THAT_MAY.ingestFacts;

function requireIngest(actor: Actor): void {
  if (actor.kind === 'api_key') {
    if (!actor.scopes.includes('ingest'))
      throw new AppError('API_KEY_SCOPE_REQUIRED', 'This key has no ingest scope.');
    return;
  }
  if (actor.kind === 'system') return;
  if (!hasAnyRole(actor, ROLES_THAT_MAY.ingestFacts)) {
    throw new AppError('ROLE_REQUIRED', 'Your roles may not ingest facts.');
  }
}

/**
 * More work for the transaction that stores a batch (an import records the batch as committed in it,
 * so the facts and that record commit together or not at all).
 */
export type InTransaction = (tx: Tx) => Promise<void>;

export interface IngestResult<T> {
  /** What the request did; the API answers it with its status (202, 201, 200). */
  readonly outcome: IngestOutcome;
  readonly body: T;
  /** The answer of an earlier call with the same Idempotency-Key. */
  readonly replayed: boolean;
}

/** What an Idempotency-Key is bound to: the hash of the request body. */
export function idempotencyHash(body: unknown): string {
  return createHash('sha256').update(JSON.stringify(body)).digest('hex');
}

/** How long a duplicate request waits for the first one with its Idempotency-Key before a 409. */
const IDEMPOTENCY_WAIT_MS = 10_000;

/**
 * Runs `work` once per Idempotency-Key: a replay with the same body answers what the first call
 * answered and stores nothing; the same key with another body is 422. The key is claimed inside the
 * transaction that does the work and records the answer, so a crash releases it at once; a concurrent
 * duplicate waits for the first one's answer and returns it (or, after IDEMPOTENCY_WAIT_MS, gets 409
 * with `Retry-After`); a failure rolls the claim back with the work, so the client may retry.
 */
export async function withIdempotency<T>(
  ctx: EngineContext,
  actor: Actor,
  request: { route: string; key: string | undefined; body: unknown },
  work: (tx: Tx) => Promise<{ outcome: IngestOutcome; body: T }>,
): Promise<IngestResult<T>> {
  if (request.key === undefined) {
    const result = await ctx.db.transaction().execute(work);
    return { ...result, replayed: false };
  }
  const key = request.key;
  const scope = `${actor.kind}-${actor.id ?? 'system'}-${request.route}`;
  const requestHash = idempotencyHash(request.body);
  return ctx.db.transaction().execute(async (tx): Promise<IngestResult<T>> => {
    const claim = await claimIdempotencyKeyInTransaction(tx, {
      scope,
      key,
      requestHash,
      waitMs: IDEMPOTENCY_WAIT_MS,
      at: ctx.now(),
    });
    switch (claim.outcome) {
      case 'replay':
        return { outcome: claim.result, body: claim.response as T, replayed: true };
      case 'mismatch':
        throw new AppError('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was used with a different body.');
      case 'in_flight':
        throw new AppError(
          'IDEMPOTENCY_KEY_IN_FLIGHT',
          'A request with this Idempotency-Key is still in progress; retry shortly for its answer.',
          { retryAfterSeconds: 1 },
        );
      case 'claimed':
        break;
    }
    const done = await work(tx);
    await completeIdempotencyKey(tx, {
      scope,
      key,
      outcome: done.outcome,
      response: done.body,
      at: ctx.now(),
    });
    return { ...done, replayed: false };
  });
}

/**
 * Checks every product and branch id a batch names, and names each unknown one. A person (not an
 * integration key) may only bring facts about products they can see, and with `mayWrite` only
 * about products they may edit; others read as unknown, as everywhere else.
 */
/** The products and branches `rows` name that exist (the products with their department and owner). */
async function lookUpRefs(ctx: EngineContext, rows: readonly { productId: string; branchId?: string }[]) {
  const [products, branches] = await Promise.all([
    findProductRefs(
      ctx.db,
      rows.map((r) => r.productId),
    ),
    findExistingIds(ctx.db, 'branches', [
      ...new Set(rows.map((r) => r.branchId).filter((id): id is string => Boolean(id))),
    ]),
  ]);
  return { products, branches };
}

type Refs = Awaited<ReturnType<typeof lookUpRefs>>;
const refLookups = new WeakMap<EngineContext, GroupCommit<{ productId: string; branchId: string }, Refs>>();

/** The references of single facts that arrive together (a complaints feed), looked up together. */
function lookUpRefsTogether(
  ctx: EngineContext,
  pair: { productId: string; branchId: string },
): Promise<Refs> {
  let lookups = refLookups.get(ctx);
  if (!lookups) {
    lookups = new GroupCommit(async (pairs) => {
      const refs = await lookUpRefs(ctx, pairs);
      return pairs.map(() => refs);
    }, 500);
    refLookups.set(ctx, lookups);
  }
  return lookups.add(pair);
}

async function checkRefs(
  ctx: EngineContext,
  actor: Actor,
  rows: readonly { productId: string; branchId?: string }[],
  mayWrite?: (person: PersonActor, product: { ownerId: string; departmentId: string }) => boolean,
  refs?: Refs,
) {
  const { products, branches } = refs ?? (await lookUpRefs(ctx, rows));
  const problems: Problem[] = [];
  const forbidden = new Set<string>();
  rows.forEach((row, i) => {
    const product = products.get(row.productId);
    if (!product || (actor.kind === 'person' && !canSeeProduct(actor, product))) {
      problems.push(fieldProblem(`/rows/${i}/productId`, 'NO_SUCH_PRODUCT'));
    } else if (actor.kind === 'person' && mayWrite && !mayWrite(actor, product)) {
      forbidden.add(row.productId);
    }
    if (row.branchId && !branches.has(row.branchId))
      problems.push(fieldProblem(`/rows/${i}/branchId`, 'NO_SUCH_BRANCH'));
    else if (
      product &&
      row.branchId &&
      actor.kind === 'person' &&
      !holdsRoleAt(actor, INGEST_ROLES, { departmentId: product.departmentId, branchId: row.branchId })
    ) {
      // A branch-scoped manager brings facts about their own branch only.
      forbidden.add(row.productId);
    }
  });
  if (problems.length === 0 && forbidden.size > 0) {
    throw new AppError('ROLE_REQUIRED', 'You may not change these products.', {
      productIds: [...forbidden],
    });
  }
  return { products, problems };
}

/** People other than a product's owner (and admins) record competitor prices as marketing managers. */
const mayRecordCompetitorPrices = (person: PersonActor, product: { ownerId: string; departmentId: string }) =>
  canEditProduct(person, product) || hasAnyRole(person, ROLES_THAT_MAY.recordCompetitorPrices);

/**
 * Daily sales in bulk: one UNNEST upsert (a later figure for the same product, branch, date and
 * channel replaces the earlier), the monthly rollup, and per touched (product, branch) its watermark
 * (the earliest date touched), all in one transaction; the product's evaluation (deduplicated per
 * product) goes to the outbox only when a watermark is new, as an existing one is owed already.
 */
export async function ingestSales(
  ctx: EngineContext,
  actor: Actor,
  input: { rows: SalesInputRow[]; idempotencyKey?: string; within?: InTransaction },
): Promise<IngestResult<{ accepted: number; evaluations: number }>> {
  requireIngest(actor);
  const problems: Problem[] = [];
  input.rows.forEach((row, i) => {
    if ((row.returningOrders ?? 0) > row.orders) {
      problems.push(fieldProblem(`/rows/${i}/returningOrders`, 'EXCEEDS_ORDERS'));
    }
  });
  const refs = await checkRefs(ctx, actor, input.rows);
  problems.push(...refs.problems);
  if (problems.length > 0)
    refuse(problems, `${problems.length} problem(s) in the sales rows; nothing was stored.`);

  // The last figure for a key wins, as it would across two calls.
  const rows = salesRowsInKeyOrder(
    input.rows.map((row) => ({
      productId: row.productId,
      branchId: row.branchId,
      date: row.date,
      channel: row.channel ?? '',
      units: row.units,
      revenueFen: row.revenueFen,
      orders: row.orders,
      returningOrders: row.returningOrders ?? 0,
    })),
  );
  // One watermark per touched (product, branch): the earliest date touched, its first row in key
  // order; one evaluation per pair.
  const marks: SalesEvaluationMark[] = [];
  rows.forEach((row, i) => {
    const before = rows[i - 1];
    if (before?.productId !== row.productId || before.branchId !== row.branchId)
      marks.push({ productId: row.productId, branchId: row.branchId, fromDate: row.date });
  });
  return withIdempotency(
    ctx,
    actor,
    { route: 'ingest-sales', key: input.idempotencyKey, body: input.rows },
    async (tx) => {
      await holdSalesWriteLocks(tx, rows);
      // Rollup rows and marks are shared with concurrent batches of the same pairs: locked last, so
      // each is held only for the end of the transaction.
      await upsertSalesDaily(tx, rows);
      const created = await markSalesForEvaluation(tx, marks);
      // A pair whose watermark existed has its product's evaluation owed already.
      await insertOutbox(
        tx,
        [...new Set(created.map((m) => m.productId))].map((productId) => salesEvaluation(productId)),
      );
      await input.within?.(tx);
      return { outcome: 'accepted', body: { accepted: input.rows.length, evaluations: marks.length } };
    },
  );
}

/**
 * One complaint, once per external id. The phone number is stored only masked, and numbers in the
 * text are masked too; no queue payload carries anything of it (the evaluation reads the pending
 * complaints from Postgres).
 */
export async function ingestComplaint(
  ctx: EngineContext,
  actor: Actor,
  input: ComplaintInput & { idempotencyKey?: string },
): Promise<IngestResult<{ id: string; created: boolean }>> {
  requireIngest(actor);
  const { idempotencyKey, customerPhone, ...complaint } = input;
  const pair = { productId: complaint.productId, branchId: complaint.branchId };
  const refs = await checkRefs(ctx, actor, [pair], undefined, await lookUpRefsTogether(ctx, pair));
  const problems = refs.problems.map((p) => ({ ...p, field: p.field.replace('/rows/0', '') }));
  const masked = customerPhone === undefined ? null : maskPhone(customerPhone);
  if (customerPhone !== undefined && masked === null)
    problems.push({ field: '/customerPhone', message: 'is not a phone number' });
  if (new Date(complaint.occurredAt) > new Date(ctx.now().getTime() + 24 * 3600_000)) {
    problems.push({ field: '/occurredAt', message: 'is in the future' });
  }
  if (problems.length > 0) refuse(problems, 'The complaint is not valid; nothing was stored.');
  const row: NewComplaint = {
    ...complaint,
    text: maskPhonesInText(complaint.text),
    occurredOn: shanghaiDay(new Date(complaint.occurredAt)),
    customerPhoneMasked: masked,
  };
  if (idempotencyKey === undefined) {
    const stored = await complaintStore(ctx).add(row);
    return { outcome: stored.created ? 'created' : 'existing', body: stored, replayed: false };
  }
  const body = { ...complaint, customerPhone: masked };
  return withIdempotency(ctx, actor, { route: 'ingest-complaint', key: idempotencyKey, body }, async (tx) => {
    const [stored] = await storeComplaints(ctx, tx, [row]);
    return { outcome: stored!.created ? 'created' : 'existing', body: stored! };
  });
}

/**
 * Complaints, each once per external id, pending evaluation; the run that evaluates them is queued
 * only when none was waiting before (a run queued or running reads the mark again before it ends).
 */
async function storeComplaints(ctx: EngineContext, tx: Tx, rows: readonly NewComplaint[]) {
  const stored = await insertComplaints(tx, rows);
  if (stored.some((s) => s.created) && (await markComplaintsPending(tx, ctx.now())))
    await insertOutbox(tx, [complaintEvaluation()]);
  return stored;
}

const complaintStores = new WeakMap<
  EngineContext,
  GroupCommit<NewComplaint, { id: string; created: boolean }>
>();

/**
 * Complaints that arrive while batches of them are being stored (two at a time: one commits while the
 * next is sent) go in together, in one transaction (one commit for all of them); one arriving alone is
 * stored at once.
 */
function complaintStore(ctx: EngineContext) {
  let store = complaintStores.get(ctx);
  if (!store) {
    store = new GroupCommit(
      (rows) => ctx.db.transaction().execute((tx) => storeComplaints(ctx, tx, rows)),
      200,
      2,
    );
    complaintStores.set(ctx, store);
  }
  return store;
}

export async function ingestCompetitorPrices(
  ctx: EngineContext,
  actor: Actor,
  input: { rows: CompetitorPriceRow[]; idempotencyKey?: string; within?: InTransaction },
): Promise<IngestResult<{ accepted: number }>> {
  requireIngest(actor);
  const refs = await checkRefs(ctx, actor, input.rows, mayRecordCompetitorPrices);
  if (refs.problems.length > 0) refuse(refs.problems, 'Some rows name unknown products; nothing was stored.');
  return withIdempotency(
    ctx,
    actor,
    { route: 'ingest-competitor-prices', key: input.idempotencyKey, body: input.rows },
    async (tx) => {
      await insertCompetitorPrices(
        tx,
        input.rows.map((r) => ({
          ...r,
          platform: r.platform ?? null,
          note: null,
          createdBy: actor.kind === 'person' ? actor.id : null,
        })),
      );
      const products = [...new Set(input.rows.map((r) => r.productId))];
      await insertOutbox(
        tx,
        products.map((productId) => ({
          jobName: 'evaluate-competitor-prices',
          jobId: jobIdFor('evaluate-competitor-prices', productId),
          payload: { productId },
        })),
      );
      await input.within?.(tx);
      return { outcome: 'accepted', body: { accepted: input.rows.length } };
    },
  );
}

/** A vendor or staffing cost changed: merged into the product's costs, then margin erosion is checked. */
export async function ingestCostChange(
  ctx: EngineContext,
  actor: Actor,
  input: CostChangeInput & { idempotencyKey?: string },
): Promise<IngestResult<{ id: string; applied: boolean; unitCostFen: number }>> {
  requireIngest(actor);
  const { idempotencyKey, ...change } = input;
  const refs = await checkRefs(ctx, actor, [{ productId: change.productId }], canEditProduct);
  const problems = refs.problems.map((p) => ({ ...p, field: '/productId' }));
  const parts = ['consumablesFen', 'labourFen', 'overheadFen', 'marketingFen'] as const;
  if (parts.every((p) => change[p] === undefined))
    problems.push({ field: '/', message: 'name at least one cost part' });
  if (problems.length > 0) refuse(problems, 'The cost change is not valid; nothing was stored.');
  return withIdempotency<{ id: string; applied: boolean; unitCostFen: number }>(
    ctx,
    actor,
    { route: 'ingest-cost-change', key: idempotencyKey, body: change },
    async (tx) => {
      await lockProductById(tx, change.productId);
      const current = await findCosts(tx, change.productId);
      const missing = parts.filter((p) => change[p] === undefined && current === undefined);
      if (missing.length > 0) {
        refuse(
          missing.map((p) => ({ field: `/${p}`, message: 'the product has no costs yet: give every part' })),
          'The product has no costs to change.',
        );
      }
      const next = Object.fromEntries(parts.map((p) => [p, change[p] ?? current![p]])) as Record<
        (typeof parts)[number],
        number
      >;
      const id = await insertCostChange(tx, {
        productId: change.productId,
        consumablesFen: change.consumablesFen ?? null,
        labourFen: change.labourFen ?? null,
        overheadFen: change.overheadFen ?? null,
        marketingFen: change.marketingFen ?? null,
        effectiveOn: change.effectiveOn,
      });
      // A change that arrives late (effective before the costs in force) is kept as history only.
      const superseded = current?.effectiveOn != null && change.effectiveOn < current.effectiveOn;
      if (superseded) {
        const inForce = current;
        return {
          outcome: 'accepted',
          body: {
            id,
            applied: false,
            unitCostFen:
              inForce.consumablesFen + inForce.labourFen + inForce.overheadFen + inForce.marketingFen,
          },
        };
      }
      await upsertCosts(tx, change.productId, next, change.effectiveOn, ctx.now());
      await queueCostChangeEvaluations(tx, change.productId, current ? change.effectiveOn : null);
      return {
        outcome: 'accepted',
        body: {
          id,
          applied: true,
          unitCostFen: next.consumablesFen + next.labourFen + next.overheadFen + next.marketingFen,
        },
      };
    },
  );
}
