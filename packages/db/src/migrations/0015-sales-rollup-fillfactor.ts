import { sql, type Kysely } from 'kysely';

/**
 * The monthly rollups leave three quarters of each page free (fillfactor 25, from 50). Four batches of a
 * backfill under way at once each rewrite every (product, branch, month) row they touch, and the
 * versions they replace cannot be pruned while the others run: with half a page free, only about 55 %
 * of those updates stayed on their page (HOT), the rest wrote a new entry in each of the table's three
 * indexes. With 75 % free they all stay, and the table ends smaller, since pruned space is reused
 * (`pnpm bench`, 200,000 rows at 4 at a time: sales_monthly 8.9 MB + 1.7 MB of indexes at 50, 3.6–5.9 MB
 * + 0.9–1.1 MB at 25). Pages written from now on are filled so; existing ones stay as they are.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table sales_monthly set (fillfactor = 25);
    alter table sales_product_monthly set (fillfactor = 25);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table sales_monthly set (fillfactor = 50);
    alter table sales_product_monthly set (fillfactor = 50);
  `.execute(db);
}
