import type { Executor } from '../connection.js';

export interface LaunchTemplateRow {
  tier: string;
  version: number;
  /** `LaunchTemplateItem[]` as stored; the engine validates it where it is read. */
  items: unknown;
  createdBy: string | null;
  createdAt: Date;
}

/** The newest stored version of each tier that has one (tiers never changed have none: their built-in template). */
export async function listLatestLaunchTemplates(db: Executor): Promise<LaunchTemplateRow[]> {
  return db
    .selectFrom('launchTemplates')
    .selectAll()
    .distinctOn('tier')
    .orderBy('tier')
    .orderBy('version', 'desc')
    .execute();
}

export async function findLatestLaunchTemplate(
  db: Executor,
  tier: string,
): Promise<LaunchTemplateRow | undefined> {
  return db
    .selectFrom('launchTemplates')
    .selectAll()
    .where('tier', '=', tier)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export async function findLaunchTemplate(
  db: Executor,
  tier: string,
  version: number,
): Promise<LaunchTemplateRow | undefined> {
  return db
    .selectFrom('launchTemplates')
    .selectAll()
    .where('tier', '=', tier)
    .where('version', '=', version)
    .executeTakeFirst();
}

/** Stores a new version; two saves of one tier racing for the same version meet the primary key (a conflict). */
export async function insertLaunchTemplate(
  db: Executor,
  row: { tier: string; version: number; items: unknown; createdBy: string; createdAt: Date },
): Promise<LaunchTemplateRow> {
  return db
    .insertInto('launchTemplates')
    .values({ ...row, items: JSON.stringify(row.items) })
    .returningAll()
    .executeTakeFirstOrThrow();
}
