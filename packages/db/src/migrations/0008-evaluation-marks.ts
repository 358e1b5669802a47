import { sql, type Kysely } from 'kysely';

/**
 * The watermark of sales evaluation: one row per (product, branch) with sales not yet judged, holding
 * the earliest data date touched since the pair was last evaluated. Ingestion lowers it, the
 * evaluation of the pair takes it (deletes it) in its own transaction.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table sales_evaluation_marks (
      product_id uuid not null references products(id) on delete cascade,
      branch_id uuid not null references branches(id) on delete cascade,
      from_date date not null,
      primary key (product_id, branch_id)
    )
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`drop table sales_evaluation_marks`.execute(db);
}
