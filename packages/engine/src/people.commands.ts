import {
  countLiveProductsOwned,
  findPersonById,
  insertAudit,
  insertNotifications,
  insertOutbox,
  listActivePeopleWithRoles,
  listRoleGrants,
  lockLiveProductsOwnedBy,
  lockOpenTasksOf,
  lockPersonById,
  markPersonDeactivated,
  replaceRoleGrants,
  revokeApiKeysCreatedBy,
  revokeSessionsOf,
  setProductOwner,
  setTaskPeople,
  type Person,
  type RoleGrant,
  type NewNotification,
} from '@tower/db';
import { AppError, FINAL_STAGES, ROLES_THAT_MAY, type Role } from '@tower/domain';
import { jobIdFor } from '@tower/queue';
import { requireRole } from './access.js';
import type { Actor, EngineContext } from './context.js';
import { roleProblems } from './org.commands.js';
import type { DeactivationInput, RoleGrantsInput } from './org.inputs.js';

function personNotFound(id: string): AppError {
  return new AppError('PERSON_NOT_FOUND', `No person ${id}.`);
}

function covers(grant: RoleGrant, scope: { departmentId: string; branchId: string | null }): boolean {
  return (
    (grant.departmentId === null || grant.departmentId === scope.departmentId) &&
    (grant.branchId === null || grant.branchId === scope.branchId)
  );
}

const sameScope = (a: RoleGrant, b: RoleGrant) =>
  a.role === b.role && a.departmentId === b.departmentId && a.branchId === b.branchId;

/**
 * Who takes over a leaver's part in an object of `scope`: for each of the leaver's grants that covers
 * it, the other active holders of that role and the same scope, else other holders whose grant covers
 * the object; `owner` stands in for a product manager grant (the product's new owner). Empty when
 * nobody does (the caller falls back to the directors).
 */
export function successorsFor(
  leaver: { id: string; roles: readonly RoleGrant[] },
  scope: { departmentId: string; branchId: string | null; ownerId: string },
  people: readonly Pick<Person, 'id' | 'roles'>[],
): string[] {
  const others = people.filter((p) => p.id !== leaver.id);
  const chosen = new Set<string>();
  for (const grant of leaver.roles) {
    // Admins administer; they are not routed work, so an admin grant hands nothing on.
    if (grant.role === 'admin' || !covers(grant, scope)) continue;
    if (grant.role === 'product_manager' && scope.ownerId !== leaver.id) {
      if (others.some((p) => p.id === scope.ownerId)) chosen.add(scope.ownerId);
      continue;
    }
    const exact = others.filter((p) => p.roles.some((g) => sameScope(g, grant)));
    const covering = others.filter((p) => p.roles.some((g) => g.role === grant.role && covers(g, scope)));
    for (const p of exact.length > 0 ? exact : covering) chosen.add(p.id);
  }
  return [...chosen].sort();
}

export interface DeactivationResult {
  readonly id: string;
  readonly deactivatedAt: Date;
  readonly sessionsRevoked: number;
  readonly apiKeysRevoked: number;
  readonly productsReassigned: readonly { productId: string; ownerId: string | null }[];
  readonly tasksReassigned: readonly { taskId: string; assignees: readonly string[] }[];
}

/**
 * An admin deactivates a person who left: in one transaction their sessions and the API keys they
 * created are revoked (the next request with them is 401), they can no longer log in, the live
 * products they own pass to the least-loaded other product manager covering the product's department,
 * and each open task naming them passes to the other holders of their role and scope (or the active
 * directors when nobody else holds it), who are notified. Launch items are owned by role, so they
 * pass with the role (product-manager items with the product). Audited.
 */
export async function deactivatePerson(
  ctx: EngineContext,
  actor: Actor,
  personId: string,
  input: DeactivationInput,
): Promise<DeactivationResult> {
  const admin = requireRole(actor, ROLES_THAT_MAY.managePeople, 'deactivate people');
  if (admin.id === personId) {
    throw new AppError('PERSON_DEACTIVATE_SELF', 'An admin cannot deactivate themself.');
  }
  const at = ctx.now();
  return ctx.db.transaction().execute(async (tx) => {
    const person = await lockPersonById(tx, personId);
    if (!person) throw personNotFound(personId);
    if (!person.active) {
      throw new AppError('PERSON_INACTIVE', `${person.name} is already deactivated.`);
    }
    const roles = await listRoleGrants(tx, personId);
    await markPersonDeactivated(tx, personId, { at, reason: input.reason });
    const sessionsRevoked = await revokeSessionsOf(tx, personId, at);
    const apiKeysRevoked = await revokeApiKeysCreatedBy(tx, personId, at);

    const heldRoles = [...new Set<Role>([...roles.map((r) => r.role), 'director', 'product_manager'])];
    const people = (await listActivePeopleWithRoles(tx, heldRoles)).filter((p) => p.id !== personId);
    const directors = people.filter((p) => p.roles.some((r) => r.role === 'director')).map((p) => p.id);

    // Products first: a product manager's tasks follow their products to the new owner.
    const newOwners = new Map<string, string>();
    const productsReassigned: { productId: string; ownerId: string | null }[] = [];
    const products = await lockLiveProductsOwnedBy(tx, personId, FINAL_STAGES);
    const managers = people.filter((p) => p.roles.some((r) => r.role === 'product_manager'));
    const load = await countLiveProductsOwned(
      tx,
      managers.map((m) => m.id),
      FINAL_STAGES,
    );
    for (const product of products) {
      const candidates = managers
        .filter((m) =>
          m.roles.some(
            (g) =>
              g.role === 'product_manager' &&
              (g.departmentId === null || g.departmentId === product.departmentId),
          ),
        )
        .sort((a, b) => (load.get(a.id) ?? 0) - (load.get(b.id) ?? 0) || (a.id < b.id ? -1 : 1));
      const owner = candidates[0];
      if (owner) {
        await setProductOwner(tx, product.id, owner.id);
        load.set(owner.id, (load.get(owner.id) ?? 0) + 1);
        newOwners.set(product.id, owner.id);
      }
      productsReassigned.push({ productId: product.id, ownerId: owner?.id ?? null });
    }

    const tasksReassigned: { taskId: string; assignees: string[] }[] = [];
    const notices: NewNotification[] = [];
    for (const task of await lockOpenTasksOf(tx, personId)) {
      const informed = task.informed.filter((id) => id !== personId);
      if (!task.assignees.includes(personId)) {
        await setTaskPeople(tx, task.id, { assignees: task.assignees, informed }, at);
        continue;
      }
      const scope = {
        departmentId: task.departmentId,
        branchId: task.branchId,
        ownerId: (task.productId && newOwners.get(task.productId)) || task.ownerId,
      };
      let successors = successorsFor({ id: personId, roles }, scope, people);
      if (successors.length === 0) successors = directors;
      const remaining = task.assignees.filter((id) => id !== personId);
      const added = successors.filter((id) => !remaining.includes(id));
      const assignees = [...remaining, ...added];
      await setTaskPeople(
        tx,
        task.id,
        { assignees, informed: informed.filter((id) => !assignees.includes(id)) },
        at,
      );
      tasksReassigned.push({ taskId: task.id, assignees });
      for (const id of added) {
        const successor = people.find((p) => p.id === id);
        for (const channel of successor?.channels ?? []) {
          notices.push({
            taskId: task.id,
            personId: id,
            channelId: channel.id,
            kind: channel.kind,
            reason: 'reassigned',
          });
        }
      }
    }
    const notificationIds = await insertNotifications(tx, notices, at);
    await insertOutbox(
      tx,
      notificationIds.map((notificationId) => ({
        jobName: 'notify',
        jobId: jobIdFor('notify', notificationId),
        payload: { notificationId },
      })),
    );
    await insertAudit(tx, {
      actorId: admin.id,
      action: 'person.deactivated',
      entity: 'person',
      entityId: personId,
      data: { reason: input.reason, sessionsRevoked, apiKeysRevoked, productsReassigned, tasksReassigned },
    });
    return {
      id: personId,
      deactivatedAt: at,
      sessionsRevoked,
      apiKeysRevoked,
      productsReassigned,
      tasksReassigned,
    };
  });
}

/** An admin replaces a person's role grants; their next request is authorised with the new ones. */
export async function setPersonRoles(
  ctx: EngineContext,
  actor: Actor,
  personId: string,
  input: RoleGrantsInput,
): Promise<Person> {
  const admin = requireRole(actor, ROLES_THAT_MAY.managePeople, 'change roles');
  const problems = await roleProblems(ctx, input.roles);
  if (problems.length > 0) {
    throw new AppError('INVALID_INPUT', 'Some roles are not valid.', { fields: problems });
  }
  const roles: RoleGrant[] = input.roles.map((r) => ({
    role: r.role,
    departmentId: r.departmentId ?? null,
    branchId: r.branchId ?? null,
  }));
  await ctx.db.transaction().execute(async (tx) => {
    const person = await lockPersonById(tx, personId);
    if (!person) throw personNotFound(personId);
    const before = await listRoleGrants(tx, personId);
    await replaceRoleGrants(tx, personId, roles, ctx.now());
    await insertAudit(tx, {
      actorId: admin.id,
      action: 'person.roles_changed',
      entity: 'person',
      entityId: personId,
      data: { before, after: roles },
    });
  });
  return (await findPersonById(ctx.db, personId))!;
}
