import {
  findProductById,
  insertAudit,
  lockProductById,
  type Executor,
  type ProductRow,
  type Tx,
} from '@tower/db';
import { AppError, isFinalStage, STAGE_EDIT_RULES } from '@tower/domain';
import { canSeeProduct, requirePerson } from './access.js';
import type { Actor, EngineContext, PersonActor } from './context.js';

export function requireEditableStage(product: ProductRow, what: keyof typeof STAGE_EDIT_RULES): void {
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
export async function editProduct<T>(
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
