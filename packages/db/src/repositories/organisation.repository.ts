import type { Executor } from '../connection.js';

export interface OrgUnit {
  id: string;
  code: string;
  name: string;
  createdAt: Date;
}

export async function insertBranch(db: Executor, values: { code: string; name: string }): Promise<OrgUnit> {
  return db.insertInto('branches').values(values).returningAll().executeTakeFirstOrThrow();
}

export async function listBranches(db: Executor): Promise<OrgUnit[]> {
  return db.selectFrom('branches').selectAll().orderBy('code').execute();
}

export async function findBranchById(db: Executor, id: string): Promise<OrgUnit | undefined> {
  return db.selectFrom('branches').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertDepartment(
  db: Executor,
  values: { code: string; name: string },
): Promise<OrgUnit> {
  return db.insertInto('departments').values(values).returningAll().executeTakeFirstOrThrow();
}

export async function listDepartments(db: Executor): Promise<OrgUnit[]> {
  return db.selectFrom('departments').selectAll().orderBy('code').execute();
}

/** Which of `ids` exist in `table`; lets a command name every unknown reference at once. */
export async function findExistingIds(
  db: Executor,
  table: 'branches' | 'departments' | 'people',
  ids: readonly string[],
): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db
    .selectFrom(table)
    .select('id')
    .where('id', 'in', [...new Set(ids)])
    .execute();
  return new Set(rows.map((r) => r.id));
}
