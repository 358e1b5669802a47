import { findProductById, findTaskById, lockTaskById, type TaskRow, type Tx } from '@tower/db';
import { AppError, ROLES_THAT_MAY } from '@tower/domain';
import { visibleDepartmentIds, hasAnyRole } from '../access.js';
import { type EngineContext, type PersonActor } from '../context.js';

/**
 * The (department, branch) scopes of a person confined to some departments (department managers);
 * undefined for the chain-wide roles, who see every task.
 */
export function taskScopes(
  actor: PersonActor,
): { departmentId: string; branchId: string | null }[] | undefined {
  if (visibleDepartmentIds(actor) === undefined) return undefined;
  return actor.roles
    .filter((r) => r.role === 'department_manager' && r.departmentId !== null)
    .map((r) => ({ departmentId: r.departmentId!, branchId: r.branchId }));
}

function canSeeTask(actor: PersonActor, task: TaskRow, product: { departmentId: string }): boolean {
  if (task.assignees.includes(actor.id) || task.informed.includes(actor.id)) return true;
  const scopes = taskScopes(actor);
  // Each grant is a (department, branch) pair: matched together, never mixed across grants.
  return (
    scopes === undefined ||
    scopes.some(
      (scope) =>
        scope.departmentId === product.departmentId &&
        (scope.branchId === null || task.branchId === null || scope.branchId === task.branchId),
    )
  );
}

export async function visibleTask(
  ctx: EngineContext,
  tx: Tx | EngineContext['db'],
  actor: PersonActor,
  id: string,
  lock: boolean,
) {
  const task = lock ? await lockTaskById(tx, id) : await findTaskById(tx, id);
  // A quarterly review task is about a department, not a product.
  const subject = task?.productId
    ? await findProductById(tx, task.productId)
    : task?.departmentId
      ? { departmentId: task.departmentId }
      : undefined;
  if (!task || !subject || !canSeeTask(actor, task, subject)) {
    throw new AppError('TASK_NOT_FOUND', `No task ${id}.`);
  }
  return { task };
}

/** Assignees act on a task; directors and admins may act on any they can see. */
export function canActOnTask(actor: PersonActor, task: TaskRow): boolean {
  return task.assignees.includes(actor.id) || hasAnyRole(actor, ROLES_THAT_MAY.actOnAnyTask);
}
