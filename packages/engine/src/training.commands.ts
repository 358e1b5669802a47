import {
  findExistingIds,
  findTraineeById,
  insertTrainee,
  listTrainees,
  recordTraineeResult,
  type ProductRow,
} from '@tower/db';
import { AppError, fieldProblem } from '@tower/domain';
import { canManageTraining, requirePerson } from './access.js';
import type { Actor, EngineContext, PersonActor } from './context.js';
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
      fields: [fieldProblem('/branchId', 'NO_SUCH_BRANCH')],
    });
  }
  // A branch-scoped department manager adds trainees at their own branch only.
  const may = (person: PersonActor, product: ProductRow) =>
    canManageTraining(person, product, input.branchId);
  return editProduct(ctx, actor, productId, 'product.trainee_added', may, async (tx) => {
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
  return editProduct(
    ctx,
    actor,
    productId,
    'product.trainee_result',
    canManageTraining,
    async (tx, product, person) => {
      const trainee = await findTraineeById(tx, productId, traineeId);
      if (!trainee) throw new AppError('TRAINEE_NOT_FOUND', `No trainee ${traineeId} on this product.`);
      if (!canManageTraining(person, product, trainee.branchId)) {
        throw new AppError(
          'ROLE_REQUIRED',
          "Only the owner, an admin or a manager of the trainee's department and branch may record this result.",
        );
      }
      const found = await recordTraineeResult(tx, productId, traineeId, {
        passed: input.passed,
        score: input.score ?? null,
        at: input.at,
      });
      if (!found) throw new AppError('TRAINEE_NOT_FOUND', `No trainee ${traineeId} on this product.`);
      return { result: { id: traineeId, ...input }, audit: { traineeId, ...input } };
    },
  );
}

export async function getTrainees(ctx: EngineContext, actor: Actor, productId: string) {
  await findVisibleProduct(ctx.db, requirePerson(actor), productId);
  return listTrainees(ctx.db, productId);
}
