import { findExistingIds, insertTrainee, listTrainees, recordTraineeResult } from '@tower/db';
import { AppError } from '@tower/domain';
import { canManageTraining, requirePerson } from './access.js';
import type { Actor, EngineContext } from './context.js';
import type { TraineeInput, TraineeResultInput } from './products.inputs.js';
import { editProduct, findVisibleProduct } from './product-edit.js';

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

export async function getTrainees(ctx: EngineContext, actor: Actor, productId: string) {
  await findVisibleProduct(ctx.db, requirePerson(actor), productId);
  return listTrainees(ctx.db, productId);
}
