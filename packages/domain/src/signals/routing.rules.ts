import type { Rules, RouteTarget } from '../rules.js';
import type { Role, Signal } from '../vocabulary.js';

/** A person as routing sees them; each role grant is scoped to a department and/or branch (null = everywhere). */
export interface RoutingPerson {
  readonly id: string;
  readonly active: boolean;
  readonly roles: readonly {
    readonly role: Role;
    readonly departmentId: string | null;
    readonly branchId: string | null;
  }[];
}

/** Input of {@link routeSignal}. */
export interface RouteSignalInput {
  readonly signal: Signal;
  readonly product: { readonly ownerId: string; readonly departmentId: string };
  /** The branch the fact is about; null for product-wide signals (stage stalled, target across the chain…). */
  readonly branchId: string | null;
  readonly people: readonly RoutingPerson[];
  readonly rules: Rules;
  /** Routes added to the rule's own, e.g. a launch item's owner role ({@link launchItemRoutes}). */
  readonly extraRoutes?: readonly RouteTarget[];
}

/** Who a signal's task goes to. */
export interface Routing {
  /** Person ids who must answer, in route order, without duplicates. */
  readonly assignees: readonly string[];
  /** Person ids notified only; never also an assignee. */
  readonly informed: readonly string[];
  /** Roles with nobody to take them, in route order; the directors stand in for them. */
  readonly gaps: readonly Role[];
}

const byId = (a: RoutingPerson, b: RoutingPerson): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Active directors, by id: who receives escalations and stands in for a role nobody holds. */
export function escalationTargets(people: readonly RoutingPerson[]): string[] {
  return people
    .filter((p) => p.active && p.roles.some((r) => r.role === 'director'))
    .sort(byId)
    .map((p) => p.id);
}

function holdersFor(target: RouteTarget, input: RouteSignalInput): string[] {
  const active = input.people.filter((p) => p.active);
  const grantsOf = (p: RoutingPerson) => p.roles.filter((r) => r.role === target.role);
  const { departmentId } = input.product;
  switch (target.scope) {
    case 'owner': {
      const owner = active.find((p) => p.id === input.product.ownerId);
      return owner !== undefined && grantsOf(owner).length > 0 ? [owner.id] : [];
    }
    case 'any':
      return active
        .filter((p) =>
          grantsOf(p).some(
            (g) =>
              (g.branchId === null || g.branchId === input.branchId) &&
              (g.departmentId === null || g.departmentId === departmentId),
          ),
        )
        .sort(byId)
        .map((p) => p.id);
    case 'department': {
      const inDepartment = (p: RoutingPerson, branchId: string | null) =>
        grantsOf(p).some((g) => g.departmentId === departmentId && g.branchId === branchId);
      // Prefer the department's managers at the fact's branch; fall back to department-wide ones.
      const atBranch = input.branchId === null ? [] : active.filter((p) => inDepartment(p, input.branchId));
      const chosen = atBranch.length > 0 ? atBranch : active.filter((p) => inDepartment(p, null));
      return chosen.sort(byId).map((p) => p.id);
    }
    default: {
      const unknown: never = target.scope;
      throw new Error(`unknown route scope ${String(unknown)}`);
    }
  }
}

/**
 * Routes a signal to people by `rules.signals[signal].routes` plus `extraRoutes`:
 * - `owner`: the product's owner, when active and holding the role;
 * - `any`: every active holder of the role whose grant fits (a branch-scoped grant only at the fact's
 *   branch, a department-scoped grant only for the product's department, an unscoped grant everywhere);
 * - `department`: holders scoped to the product's department at the fact's branch, or, when there are
 *   none, the department-wide ones (no branch).
 *
 * A role nobody takes is a gap: the active directors stand in for it (as assignees, or as informed for an
 * inform-only route). With no director either, the gap is only reported. Order is route order, then id;
 * a person is listed once, and an assignee is never also informed.
 */
export function routeSignal(input: RouteSignalInput): Routing {
  const routes = [...input.rules.signals[input.signal].routes, ...(input.extraRoutes ?? [])];
  const directors = escalationTargets(input.people);
  const assignees: string[] = [];
  const informed: string[] = [];
  const gaps: Role[] = [];
  for (const target of routes) {
    let ids = holdersFor(target, input);
    if (ids.length === 0) {
      if (!gaps.includes(target.role)) gaps.push(target.role);
      ids = directors;
    }
    const list = target.informOnly === true ? informed : assignees;
    for (const id of ids) if (!list.includes(id)) list.push(id);
  }
  return { assignees, informed: informed.filter((id) => !assignees.includes(id)), gaps };
}

/**
 * The route for a launch checklist item's owner role, to pass as `extraRoutes`: the product's owner for
 * `product_manager`, the product's department at the item's branch for `department_manager`, any fitting
 * holder otherwise.
 */
export function launchItemRoutes(ownerRole: Role): RouteTarget[] {
  const scope: RouteTarget['scope'] =
    ownerRole === 'product_manager' ? 'owner' : ownerRole === 'department_manager' ? 'department' : 'any';
  return [{ role: ownerRole, scope }];
}
