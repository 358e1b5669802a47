import { sql, type Kysely } from 'kysely';

/**
 * A sales evaluation claims its product's touch count when it starts (`claim`, its own token), and
 * every batch that touches the product records the earliest day it wrote (`touched_from`, reset by the
 * claim). An evaluation whose product was touched while it ran then knows how far those batches reach
 * back: it moves the watermarks up to that day instead of leaving them where it found them, so the
 * next run does not judge again the days this one judged (in a backfill, nearly every run is touched).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table sales_evaluation_touches add column claim uuid, add column touched_from date;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table sales_evaluation_touches drop column claim, drop column touched_from;
  `.execute(db);
}
