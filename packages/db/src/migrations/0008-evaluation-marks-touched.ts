import { sql, type Kysely } from 'kysely';

/**
 * Each watermark counts the ingestions that touched it, so an evaluation need not hold the mark's row
 * lock while it works (ingestion would queue behind it): it reads the mark, evaluates, and clears it
 * only if nobody touched it in the meantime.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table sales_evaluation_marks add column touched bigint not null default 1`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table sales_evaluation_marks drop column touched`.execute(db);
}
