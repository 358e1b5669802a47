import {
  deleteSilence,
  findProductById,
  findSilenceById,
  insertAudit,
  insertSilence,
  listSilences,
} from '@tower/db';
import { AppError, ROLES_THAT_MAY, fieldProblem } from '@tower/domain';
import {
  canEditProduct,
  canSeeProduct,
  hasAnyRole,
  holdsRoleAt,
  requirePerson,
  visibleDepartmentIds,
} from './access.js';
import type { Actor, EngineContext } from './context.js';
import { findVisibleProduct } from './products.commands.js';
import type { SilenceInput } from './tasks.inputs.js';

export async function createSilence(ctx: EngineContext, actor: Actor, input: SilenceInput) {
  const person = requirePerson(actor);
  if (new Date(input.until) <= ctx.now()) {
    throw new AppError('INVALID_INPUT', 'A silence must end in the future.', {
      fields: [fieldProblem('/until', 'IN_THE_PAST')],
    });
  }
  return ctx.db.transaction().execute(async (tx) => {
    const product = await findVisibleProduct(tx, person, input.productId);
    if (
      !canEditProduct(person, product) &&
      // A branch-scoped director or marketing manager silences only their own branch's signals.
      !holdsRoleAt(person, ROLES_THAT_MAY.silenceSignals, {
        departmentId: product.departmentId,
        branchId: input.branchId ?? null,
      })
    ) {
      throw new AppError(
        'ROLE_REQUIRED',
        'Only the owner, a marketing manager, a director or an admin may silence a signal.',
      );
    }
    const silence = await insertSilence(tx, {
      ...input,
      branchId: input.branchId ?? null,
      createdBy: person.id,
    });
    await insertAudit(tx, {
      actorId: person.id,
      action: 'silence.created',
      entity: 'silence',
      entityId: silence.id,
      data: { ...input },
    });
    return silence;
  });
}

export async function getSilences(ctx: EngineContext, actor: Actor, filter: { active?: boolean }) {
  const person = requirePerson(actor);
  const departments = visibleDepartmentIds(person);
  return listSilences(ctx.db, {
    ...(filter.active ? { activeAt: ctx.now() } : {}),
    ...(departments ? { departmentIds: departments } : {}),
  });
}

export async function removeSilence(ctx: EngineContext, actor: Actor, id: string): Promise<void> {
  const person = requirePerson(actor);
  await ctx.db.transaction().execute(async (tx) => {
    const silence = await findSilenceById(tx, id);
    const product = silence && (await findProductById(tx, silence.productId));
    if (!silence || !product || !canSeeProduct(person, product)) {
      throw new AppError('SILENCE_NOT_FOUND', `No silence ${id}.`);
    }
    if (
      silence.createdBy !== person.id &&
      !canEditProduct(person, product) &&
      !hasAnyRole(person, ROLES_THAT_MAY.liftSilences)
    ) {
      throw new AppError(
        'ROLE_REQUIRED',
        'Only who set the silence, the owner, a director or an admin may lift it.',
      );
    }
    await deleteSilence(tx, id);
    await insertAudit(tx, { actorId: person.id, action: 'silence.deleted', entity: 'silence', entityId: id });
  });
}
