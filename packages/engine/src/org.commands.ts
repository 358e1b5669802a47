import {
  findExistingIds,
  findPersonById,
  insertAudit,
  insertBranch,
  insertDepartment,
  insertPerson,
  isUniqueViolation,
  listBranches,
  listDepartments,
  listPeople,
  type OrgUnit,
  type Person,
  type RoleGrant,
} from '@tower/db';
import { AppError, ROLES_THAT_MAY, fieldProblem, type FieldProblem } from '@tower/domain';
import { hashPassword } from './auth.commands.js';
import { requirePerson, requireRole, hasAnyRole } from './access.js';
import { type Actor, type EngineContext, type PersonActor } from './context.js';
import type { NewPersonInput, OrgUnitInput } from './org.inputs.js';

async function createOrgUnit(
  ctx: EngineContext,
  actor: Actor,
  kind: 'branch' | 'department',
  input: OrgUnitInput,
): Promise<OrgUnit> {
  const admin = requireRole(actor, ROLES_THAT_MAY.createOrgUnits, `create a ${kind}`);
  try {
    return await ctx.db.transaction().execute(async (tx) => {
      const unit = kind === 'branch' ? await insertBranch(tx, input) : await insertDepartment(tx, input);
      await insertAudit(tx, {
        actorId: admin.id,
        action: `${kind}.created`,
        entity: kind,
        entityId: unit.id,
        data: input,
      });
      return unit;
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError(
        kind === 'branch' ? 'BRANCH_CODE_TAKEN' : 'DEPARTMENT_CODE_TAKEN',
        `A ${kind} with code "${input.code}" exists.`,
      );
    }
    throw error;
  }
}

export const createBranch = (ctx: EngineContext, actor: Actor, input: { code: string; name: string }) =>
  createOrgUnit(ctx, actor, 'branch', input);
export const createDepartment = (ctx: EngineContext, actor: Actor, input: { code: string; name: string }) =>
  createOrgUnit(ctx, actor, 'department', input);
export async function getBranches(ctx: EngineContext, actor: Actor): Promise<OrgUnit[]> {
  requirePerson(actor);
  return listBranches(ctx.db);
}

export async function getDepartments(ctx: EngineContext, actor: Actor): Promise<OrgUnit[]> {
  requirePerson(actor);
  return listDepartments(ctx.db);
}

/** Checks scopes make sense for each role and that every referenced department and branch exists. */
export async function roleProblems(
  ctx: EngineContext,
  roles: NewPersonInput['roles'],
): Promise<FieldProblem[]> {
  const problems: FieldProblem[] = [];
  const [departments, branches] = await Promise.all([
    findExistingIds(
      ctx.db,
      'departments',
      roles.flatMap((r) => (r.departmentId ? [r.departmentId] : [])),
    ),
    findExistingIds(
      ctx.db,
      'branches',
      roles.flatMap((r) => (r.branchId ? [r.branchId] : [])),
    ),
  ]);
  roles.forEach((r, i) => {
    if (r.role === 'department_manager' && !r.departmentId) {
      problems.push(fieldProblem(`/roles/${i}/departmentId`, 'DEPARTMENT_REQUIRED'));
    }
    if (r.departmentId && !departments.has(r.departmentId)) {
      problems.push(fieldProblem(`/roles/${i}/departmentId`, 'NO_SUCH_DEPARTMENT'));
    }
    if (r.branchId && !branches.has(r.branchId)) {
      problems.push(fieldProblem(`/roles/${i}/branchId`, 'NO_SUCH_BRANCH'));
    }
  });
  return problems;
}

export async function createPerson(ctx: EngineContext, actor: Actor, input: NewPersonInput): Promise<Person> {
  const admin = requireRole(actor, ROLES_THAT_MAY.createPeople, 'create people');
  const problems = await roleProblems(ctx, input.roles);
  if (problems.length > 0) {
    throw new AppError('INVALID_INPUT', 'Some roles are not valid.', { fields: problems });
  }
  const passwordHash = await hashPassword(input.password);
  const roles: RoleGrant[] = input.roles.map((r) => ({
    role: r.role,
    departmentId: r.departmentId ?? null,
    branchId: r.branchId ?? null,
  }));
  let id: string;
  try {
    id = await ctx.db.transaction().execute(async (tx) => {
      const personId = await insertPerson(tx, {
        name: input.name,
        email: input.email,
        passwordHash,
        roles,
        at: ctx.now(),
        channels: input.channels ?? [],
      });
      await insertAudit(tx, {
        actorId: admin.id,
        action: 'person.created',
        entity: 'person',
        entityId: personId,
        data: { name: input.name, email: input.email, roles },
      });
      return personId;
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError('PERSON_EMAIL_TAKEN', `Someone with email "${input.email}" exists.`);
    }
    throw error;
  }
  return (await findPersonById(ctx.db, id))!;
}

/**
 * A person as the directory shows them. `channels` is present only for an admin or for the person
 * themself: a webhook URL carries the robot's secret, so it is left out rather than shown empty.
 */
export type ListedPerson = Omit<Person, 'channels'> & { channels?: Person['channels'] };

export async function getPeople(
  ctx: EngineContext,
  actor: Actor,
  page: { after?: string; limit: number },
): Promise<ListedPerson[]> {
  const viewer = requireRole(actor, ROLES_THAT_MAY.listPeople, 'list people');
  const people = await listPeople(ctx.db, page);
  if (hasAnyRole(viewer, ROLES_THAT_MAY.seeEveryonesChannels)) return people;
  return people.map(({ channels, ...person }) =>
    person.id === viewer.id ? { ...person, channels } : person,
  );
}

export async function getMe(ctx: EngineContext, actor: PersonActor): Promise<Person> {
  const person = await findPersonById(ctx.db, actor.id);
  if (!person) throw new AppError('AUTH_PERSON_GONE', 'You no longer exist.');
  return person;
}
