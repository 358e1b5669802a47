import { sql } from 'kysely';
import type { Role, RoleGrant } from '@tower/domain';
import type { Executor } from '../connection.js';

export type { RoleGrant };

export interface Channel {
  id: string;
  kind: string;
  url: string;
}

export interface Person {
  id: string;
  name: string;
  email: string;
  active: boolean;
  createdAt: Date;
  roles: RoleGrant[];
  channels: Channel[];
}

export interface NewPerson {
  name: string;
  email: string;
  passwordHash: string;
  roles: readonly RoleGrant[];
  channels: readonly { kind: string; url: string }[];
}

export async function insertPerson(db: Executor, person: NewPerson): Promise<string> {
  const { id } = await db
    .insertInto('people')
    .values({
      name: person.name,
      email: person.email,
      passwordHash: person.passwordHash,
      updatedAt: new Date(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (person.roles.length > 0) {
    await db
      .insertInto('personRoles')
      .values(person.roles.map((r) => ({ personId: id, ...r })))
      .execute();
  }
  if (person.channels.length > 0) {
    await db
      .insertInto('personChannels')
      .values(person.channels.map((c) => ({ personId: id, kind: c.kind, url: c.url })))
      .execute();
  }
  return id;
}

/** Serialises first-start admin creation across processes starting together (hold inside a transaction). */
export async function takeBootstrapLock(db: Executor): Promise<void> {
  await sql`select pg_advisory_xact_lock(727002)`.execute(db);
}

export async function countPeople(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('people')
    .select(sql<number>`count(*)::int`.as('n'))
    .executeTakeFirstOrThrow();
  return row.n;
}

export async function findCredentialsByEmail(
  db: Executor,
  email: string,
): Promise<{ id: string; passwordHash: string; active: boolean } | undefined> {
  return db
    .selectFrom('people')
    .select(['id', 'passwordHash', 'active'])
    .where(sql<string>`lower(email)`, '=', email.toLowerCase())
    .executeTakeFirst();
}

async function attachRolesAndChannels(
  db: Executor,
  rows: { id: string; name: string; email: string; active: boolean; createdAt: Date }[],
): Promise<Person[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [roles, channels] = await Promise.all([
    db
      .selectFrom('personRoles')
      .select(['personId', 'role', 'departmentId', 'branchId'])
      .where('personId', 'in', ids)
      .orderBy('role')
      .execute(),
    db
      .selectFrom('personChannels')
      .select(['id', 'personId', 'kind', 'url'])
      .where('personId', 'in', ids)
      .execute(),
  ]);
  return rows.map((row) => ({
    ...row,
    roles: roles
      .filter((r) => r.personId === row.id)
      .map(({ role, departmentId, branchId }) => ({ role: role as Role, departmentId, branchId })),
    channels: channels.filter((c) => c.personId === row.id).map(({ id, kind, url }) => ({ id, kind, url })),
  }));
}

export async function findPersonById(db: Executor, id: string): Promise<Person | undefined> {
  const rows = await db
    .selectFrom('people')
    .select(['id', 'name', 'email', 'active', 'createdAt'])
    .where('id', '=', id)
    .execute();
  const [person] = await attachRolesAndChannels(db, rows);
  return person;
}

export async function listPeople(db: Executor, page: { after?: string; limit: number }): Promise<Person[]> {
  let query = db.selectFrom('people').select(['id', 'name', 'email', 'active', 'createdAt']);
  if (page.after) query = query.where('id', '>', page.after);
  const rows = await query.orderBy('id').limit(page.limit).execute();
  return attachRolesAndChannels(db, rows);
}

/**
 * Every active person holding one of `roles`, with all their grants and channels (for routing), in
 * one statement: routing runs inside every signal's transaction.
 */
export async function listActivePeopleWithRoles(db: Executor, roles: readonly string[]): Promise<Person[]> {
  if (roles.length === 0) return [];
  const { rows } = await sql<Person>`
    select p.id, p.name, p.email, p.active, p.created_at as "createdAt",
      coalesce((select json_agg(json_build_object('role', r.role, 'departmentId', r.department_id, 'branchId', r.branch_id)
                order by r.role, r.id) from person_roles r where r.person_id = p.id), '[]') as roles,
      coalesce((select json_agg(json_build_object('id', c.id, 'kind', c.kind, 'url', c.url) order by c.id)
                from person_channels c where c.person_id = p.id), '[]') as channels
    from people p
    where p.active and exists (select 1 from person_roles r where r.person_id = p.id and r.role = any(${[...roles]}::text[]))
    order by p.id
  `.execute(db);
  return rows;
}

export async function insertSession(
  db: Executor,
  values: { personId: string; tokenHash: string; expiresAt: Date },
): Promise<void> {
  await db.insertInto('sessions').values(values).execute();
}

/** The person behind a live (unexpired, unrevoked) session token hash. */
export async function findPersonIdBySessionHash(
  db: Executor,
  tokenHash: string,
  at: Date,
): Promise<string | undefined> {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('people', 'people.id', 'sessions.personId')
    .select('sessions.personId')
    .where('sessions.tokenHash', '=', tokenHash)
    .where('sessions.revokedAt', 'is', null)
    .where('sessions.expiresAt', '>', at)
    .where('people.active', '=', true)
    .executeTakeFirst();
  return row?.personId;
}

export async function revokeSession(db: Executor, tokenHash: string): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ revokedAt: new Date() })
    .where('tokenHash', '=', tokenHash)
    .where('revokedAt', 'is', null)
    .execute();
}

export async function insertApiKey(
  db: Executor,
  values: { name: string; keyHash: string; scopes: string[]; createdBy: string },
): Promise<{ id: string; createdAt: Date }> {
  return db.insertInto('apiKeys').values(values).returning(['id', 'createdAt']).executeTakeFirstOrThrow();
}

export async function findApiKeyByHash(
  db: Executor,
  keyHash: string,
): Promise<{ id: string; name: string; scopes: string[] } | undefined> {
  return db
    .selectFrom('apiKeys')
    .select(['id', 'name', 'scopes'])
    .where('keyHash', '=', keyHash)
    .where('revokedAt', 'is', null)
    .executeTakeFirst();
}
