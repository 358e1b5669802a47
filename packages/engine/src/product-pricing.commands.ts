import {
  findCosts,
  insertCompetitorPrices,
  listCompetitorPrices,
  replacePrices,
  upsertCosts,
} from '@tower/db';
import {
  AppError,
  fieldProblem,
  isLiveStage,
  shanghaiDay,
  unitCostFen,
  type FieldProblem,
} from '@tower/domain';
import { canEditProduct, requirePerson } from './access.js';
import type { Actor, EngineContext } from './context.js';
import { queueCostChangeEvaluations } from './signals/evaluate-cost-change.js';
import type { CompetitorPriceInput, CostsInput, PriceInput } from './products.inputs.js';
import { editProduct, findVisibleProduct, requireEditableStage } from './product-edit.js';

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
    const first = (await findCosts(tx, productId)) === undefined;
    await upsertCosts(tx, productId, costs, null, ctx.now());
    // On sale, new costs may put a price under its floor and change how the days from today are judged.
    if (isLiveStage(product.stage)) {
      await queueCostChangeEvaluations(tx, productId, first ? null : shanghaiDay(ctx.now()));
    }
    return { result: { ...costs, unitCostFen: unitCostFen(costs) }, audit: { ...costs } };
  });
}

export async function setPrices(ctx: EngineContext, actor: Actor, productId: string, prices: PriceInput[]) {
  const seen = new Set<string>();
  const problems = prices.flatMap((p, i) => {
    const out: FieldProblem[] = [];
    if (seen.has(p.type)) out.push({ field: `/prices/${i}/type`, message: `${p.type} is listed twice` });
    seen.add(p.type);
    if (p.sessions !== undefined && p.type !== 'session_card') {
      out.push(fieldProblem(`/prices/${i}/sessions`, 'SESSIONS_ONLY_ON_CARD'));
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
    await replacePrices(tx, productId, values, ctx.now());
    return { result: { prices: values }, audit: { prices: values } };
  });
}
