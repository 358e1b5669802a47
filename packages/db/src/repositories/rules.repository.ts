import { sql } from 'kysely';
import type { Executor } from '../connection.js';

/** The stored rules document, or undefined when none was ever saved (the defaults apply). */
export async function findRulesDocument(db: Executor): Promise<unknown> {
  const row = await db.selectFrom('rules').select('data').where('id', '=', 1).executeTakeFirst();
  return row?.data;
}

export async function saveRulesDocument(
  db: Executor,
  data: unknown,
  updatedBy: string,
  at: Date,
): Promise<void> {
  const json = JSON.stringify(data);
  await db
    .insertInto('rules')
    .values({ id: 1, data: json, updatedBy, updatedAt: at })
    .onConflict((oc) => oc.column('id').doUpdateSet({ data: json, updatedBy, updatedAt: at }))
    .execute();
}

/** Serialises rule changes for the rest of the caller's transaction (the row may not exist yet). */
export async function lockRulesDocument(db: Executor): Promise<void> {
  await sql`select pg_advisory_xact_lock(727003)`.execute(db);
}
