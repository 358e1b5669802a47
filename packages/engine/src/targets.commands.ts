import { findExistingIds, upsertSalesTarget } from '@tower/db';
import { AppError, ROLES_THAT_MAY, fieldProblem } from '@tower/domain';
import { canEditProduct, holdsRoleAt, requirePerson } from './access.js';
import type { Actor, EngineContext } from './context.js';
import { refuse, type Problem } from './problems.js';
import { findVisibleProduct } from './products.commands.js';
import type { SalesTargetInput } from './ingest.inputs.js';

/** A monthly sales target for one product at one branch (owner, marketing manager, admin). */
export async function setSalesTarget(
  ctx: EngineContext,
  actor: Actor,
  productId: string,
  input: SalesTargetInput,
) {
  const person = requirePerson(actor);
  const problems: Problem[] = [];
  if (input.units === undefined && input.revenueFen === undefined)
    problems.push({ field: '/', message: 'give units or revenueFen' });
  if (!(await findExistingIds(ctx.db, 'branches', [input.branchId])).has(input.branchId)) {
    problems.push(fieldProblem('/branchId', 'NO_SUCH_BRANCH'));
  }
  if (problems.length > 0) refuse(problems, 'The target is not valid.');
  const product = await findVisibleProduct(ctx.db, person, productId);
  if (
    !canEditProduct(person, product) &&
    !holdsRoleAt(person, ROLES_THAT_MAY.setSalesTargets, {
      departmentId: product.departmentId,
      branchId: input.branchId,
    })
  ) {
    throw new AppError(
      'ROLE_REQUIRED',
      "Only the owner, an admin or a marketing manager of the target's branch may set targets.",
    );
  }
  await upsertSalesTarget(
    ctx.db,
    {
      productId,
      branchId: input.branchId,
      month: `${input.month}-01`,
      units: input.units ?? null,
      revenueFen: input.revenueFen ?? null,
    },
    ctx.now(),
  );
  return { productId, ...input };
}
