import type { Selectable } from 'kysely';
import type { Tier } from '@tower/domain';
import type { Executor } from '../connection.js';
import type { LaunchTemplateTable } from '../schema.js';

/** A stored template version; `items` is `LaunchTemplateItem[]` as stored, validated by the engine where it is read. */
export type LaunchTemplateRow = Selectable<LaunchTemplateTable>;

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
  tier: Tier,
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
  tier: Tier,
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
  row: { tier: Tier; version: number; items: unknown; createdBy: string; createdAt: Date },
): Promise<LaunchTemplateRow> {
  return db
    .insertInto('launchTemplates')
    .values({ ...row, items: JSON.stringify(row.items) })
    .returningAll()
    .executeTakeFirstOrThrow();
}
