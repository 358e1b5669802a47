import type { RoleGrant } from '@tower/db';
import { AppError, CHAIN_WIDE_ROLES, type Role } from '@tower/domain';
import { hasRole, type Actor, type PersonActor } from './context.js';

export function requirePerson(actor: Actor): PersonActor {
  if (actor.kind !== 'person') {
    throw new AppError(
      'AUTH_PERSON_REQUIRED',
      'Only a signed-in person may do this; API keys may only ingest.',
    );
  }
  return actor;
}

/** Does the actor hold any of `roles` (a row of `ROLES_THAT_MAY`)? */
export function hasAnyRole(actor: Actor, roles: readonly Role[]): boolean {
  return roles.some((role) => hasRole(actor, role));
}

export function requireRole(actor: Actor, roles: readonly Role[], what: string): PersonActor {
  const person = requirePerson(actor);
  if (!hasAnyRole(person, roles)) {
    throw new AppError('ROLE_REQUIRED', `Only ${roles.join(' or ')} may ${what}.`, {
      requiredRoles: roles,
    });
  }
  return person;
}

/** The departments a person sees products of; undefined = every department. */
export function visibleDepartmentIds(actor: PersonActor): string[] | undefined {
  if (actor.roles.some((r) => CHAIN_WIDE_ROLES.includes(r.role))) return undefined;
  return actor.roles
    .filter((r) => r.role === 'department_manager' && r.departmentId !== null)
    .map((r) => r.departmentId!);
}

export function canSeeProduct(actor: PersonActor, product: { departmentId: string }): boolean {
  const departments = visibleDepartmentIds(actor);
  return departments === undefined || departments.includes(product.departmentId);
}

/** The owner product manager and admins edit a product's research, sheet, costs and prices. */
export function canEditProduct(actor: PersonActor, product: { ownerId: string }): boolean {
  return hasRole(actor, 'admin') || (product.ownerId === actor.id && hasRole(actor, 'product_manager'));
}

/**
 * Training is run with the product's department: its managers may register trainees and results too,
 * at the branches their grant covers (a branch-scoped manager only at their own branch). Without a
 * `branchId` the question is whether they may manage training at some branch of the product.
 */
export function canManageTraining(
  actor: PersonActor,
  product: { ownerId: string; departmentId: string },
  branchId?: string,
): boolean {
  return (
    canEditProduct(actor, product) ||
    actor.roles.some(
      (r) =>
        r.role === 'department_manager' &&
        r.departmentId === product.departmentId &&
        (branchId === undefined || r.branchId === null || r.branchId === branchId),
    )
  );
}

/** Does `grant` cover an object scoped to `scope`? Unscoped grants cover everything. */
export function grantCovers(
  grant: RoleGrant,
  scope: { departmentId?: string | null; branchId?: string | null },
): boolean {
  if (grant.departmentId && scope.departmentId !== undefined && grant.departmentId !== scope.departmentId)
    return false;
  if (
    grant.branchId &&
    scope.branchId !== undefined &&
    scope.branchId !== null &&
    grant.branchId !== scope.branchId
  ) {
    return false;
  }
  return true;
}

/**
 * Does `actor` hold one of `roles` with a grant covering `scope`? A branch-scoped grant covers only its
 * branch: it does not cover an object of another branch, nor a chain-wide one (`branchId: null`).
 */
export function holdsRoleAt(
  actor: PersonActor,
  roles: readonly Role[],
  scope: { departmentId?: string | null; branchId: string | null },
): boolean {
  return actor.roles.some(
    (grant) =>
      roles.includes(grant.role) &&
      grantCovers(grant, scope) &&
      (grant.branchId === null || grant.branchId === scope.branchId),
  );
}

/**
 * May `actor` complete a launch item? Only holders of the item's role and scope (an admin is not one);
 * product_manager items: the owner.
 */
export function canCompleteLaunchItem(
  actor: PersonActor,
  item: { ownerRole: string; branchId: string; departmentId: string | null },
  product: { ownerId: string },
): boolean {
  if (item.ownerRole === 'product_manager')
    return product.ownerId === actor.id && hasRole(actor, 'product_manager');
  return actor.roles.some(
    (grant) =>
      grant.role === item.ownerRole &&
      grantCovers(grant, { branchId: item.branchId, departmentId: item.departmentId }) &&
      // A department manager must hold the item's department, not merely any department.
      (item.ownerRole !== 'department_manager' || grant.departmentId === item.departmentId),
  );
}
