import { sql } from 'kysely';
import type { ChannelKind, RoleGrant } from '@tower/domain';
import type { Executor } from '../connection.js';

export type { RoleGrant };

export interface Channel {
  id: string;
  kind: ChannelKind;
  url: string;
  /** The robot's signing secret, or null; shown only to the person and admins, like the URL. */
  secret: string | null;
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
  channels: readonly { kind: ChannelKind; url: string; secret?: string | null }[];
  /** When the person was created (the engine's clock). */
  at: Date;
}

export async function insertPerson(db: Executor, person: NewPerson): Promise<string> {
  const { id } = await db
    .insertInto('people')
    .values({
      name: person.name,
      email: person.email,
      passwordHash: person.passwordHash,
      createdAt: person.at,
      updatedAt: person.at,
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
      .values(
        person.channels.map((c) => ({ personId: id, kind: c.kind, url: c.url, secret: c.secret ?? null })),
      )
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

/** A person with their role grants and channels, aggregated in the same row (one round trip). */
const PERSON_COLUMNS = sql`
  p.id, p.name, p.email, p.active, p.created_at as "createdAt",
  coalesce((select json_agg(json_build_object('role', r.role, 'departmentId', r.department_id, 'branchId', r.branch_id)
            order by r.role, r.id) from person_roles r where r.person_id = p.id), '[]') as roles,
  coalesce((select json_agg(json_build_object('id', c.id, 'kind', c.kind, 'url', c.url, 'secret', c.secret) order by c.id)
            from person_channels c where c.person_id = p.id), '[]') as channels`;

export async function findPersonById(db: Executor, id: string): Promise<Person | undefined> {
  const { rows } = await sql<Person>`select ${PERSON_COLUMNS} from people p where p.id = ${id}`.execute(db);
  return rows[0];
}

export async function listPeople(db: Executor, page: { after?: string; limit: number }): Promise<Person[]> {
  const after = page.after ? sql`where p.id > ${page.after}` : sql``;
  const { rows } = await sql<Person>`
    select ${PERSON_COLUMNS} from people p ${after} order by p.id limit ${page.limit}
  `.execute(db);
  return rows;
}

/**
 * Every active person holding one of `roles`, with all their grants and channels (for routing), in
 * one statement: routing runs inside every signal's transaction.
 */
export async function listActivePeopleWithRoles(db: Executor, roles: readonly string[]): Promise<Person[]> {
  if (roles.length === 0) return [];
  const { rows } = await sql<Person>`
    select ${PERSON_COLUMNS} from people p
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

/** The active person behind a live (unexpired, unrevoked) session token hash, in one statement. */
export async function findPersonBySessionHash(
  db: Executor,
  tokenHash: string,
  at: Date,
): Promise<Person | undefined> {
  const { rows } = await sql<Person>`
    select ${PERSON_COLUMNS} from sessions s join people p on p.id = s.person_id
    where s.token_hash = ${tokenHash} and s.revoked_at is null and s.expires_at > ${at} and p.active
  `.execute(db);
  return rows[0];
}

export async function revokeSession(db: Executor, tokenHash: string, at: Date): Promise<void> {
  await db
    .updateTable('sessions')
    .set({ revokedAt: at })
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

/** The unrevoked API keys of `keyHashes`, in one statement, by hash. */
export async function findApiKeysByHashes(
  db: Executor,
  keyHashes: readonly string[],
): Promise<Map<string, { id: string; name: string; scopes: string[] }>> {
  if (keyHashes.length === 0) return new Map();
  const rows = await db
    .selectFrom('apiKeys')
    .select(['id', 'name', 'scopes', 'keyHash'])
    .where('keyHash', 'in', [...new Set(keyHashes)])
    .where('revokedAt', 'is', null)
    .execute();
  return new Map(rows.map(({ keyHash, ...key }) => [keyHash, key]));
}

export async function listApiKeys(db: Executor) {
  return db
    .selectFrom('apiKeys')
    .select(['id', 'name', 'scopes', 'createdBy', 'createdAt', 'revokedAt'])
    .orderBy('createdAt')
    .orderBy('id')
    .execute();
}

/** Revokes a key; false when there is no such key or it was revoked before. */
export async function revokeApiKey(db: Executor, id: string, at: Date): Promise<boolean> {
  const result = await db
    .updateTable('apiKeys')
    .set({ revokedAt: at })
    .where('id', '=', id)
    .where('revokedAt', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** The number that moves whenever people, roles, channels or the rules change (see 0008-routing-version). */
export async function findRoutingVersion(db: Executor): Promise<number> {
  const { rows } = await sql<{
    version: string;
  }>`select version::text from routing_version where id = 1`.execute(db);
  return Number(rows[0]?.version ?? 0);
}
