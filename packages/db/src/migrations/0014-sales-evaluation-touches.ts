import { sql, type Kysely } from 'kysely';

/**
 * The touch count of the sales watermarks moves from each (product, branch) to its product. A batch
 * of a backfill touches every pair it holds (2,000 in a 5,000-row batch of 200 products × 10
 * branches); updating each pair's count was most of an ingest's own cost, and concurrent batches
 * queued on those rows. Now a batch bumps one count per product, and writes a pair's watermark only
 * where it has none or the batch reaches earlier than it; an evaluation clears a product's watermarks
 * only if the product's count has not moved since it read them (it runs again otherwise).
 *
 * fillfactor 50: every batch rewrites the counts of its products, and the updates stay on their page.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table sales_evaluation_touches (
      product_id uuid primary key references products (id) on delete cascade,
      touched bigint not null default 1
    ) with (fillfactor = 50);
    insert into sales_evaluation_touches (product_id, touched)
    select product_id, sum(touched) from sales_evaluation_marks group by product_id;
    alter table sales_evaluation_marks drop column touched;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table sales_evaluation_marks add column touched bigint not null default 1;
    drop table sales_evaluation_touches;
  `.execute(db);
}
