import { sql, type Kysely } from 'kysely';

/**
 * sales_daily is partitioned by month (`sales_daily_YYYY_MM`, each with its own primary key index).
 * A chain's history goes in day by day, and every row of a day lands on another leaf page of the
 * primary key: with one index for the whole history, a day of 100,000 rows dirtied about as many
 * pages, and once the index outgrew the buffer cache each of them was written out again, and after
 * every checkpoint logged whole (a full-page image) when first touched. With an index per month a
 * day touches only its month's, a tenth of the size or less, and the writes stay bounded however long
 * the history grows (a raw insert of 100 days of 100,000 rows at Debian's default settings: 8.5 GB of
 * WAL and 1.08 M full-page images unpartitioned, 3.1 GB and 56 k by month; the hundredth day took
 * 4.6 s against 1.1 s). Reads name a product, a branch and mostly a date range: the months outside
 * the range are skipped when the query is planned.
 *
 * A month's partition is made when its first rows are written, by `ensure_sales_daily_months`
 * (the repository calls it when an insert finds no partition; seeds call it first). It is made with
 * CREATE TABLE and ATTACH PARTITION, which takes a SHARE UPDATE EXCLUSIVE lock on sales_daily (not
 * in the way of its reads and writes, only of another maker), and it looks again once that lock is
 * held, so two writers of a new month make it once.
 *
 * The rollup triggers (statement-level, with transition tables) are on sales_daily itself and see
 * the rows written to every partition.
 */
/** sales_daily's columns as migration 0002 made them (both sides of this migration create the table). */
const COLUMNS = sql`
  product_id uuid not null references products (id) on delete cascade,
  branch_id uuid not null references branches (id),
  date date not null,
  channel text not null default '',
  units integer not null check (units >= 0),
  revenue_fen bigint not null check (revenue_fen >= 0),
  orders integer not null check (orders >= 0),
  returning_orders integer not null default 0 check (returning_orders >= 0),
  updated_at timestamptz not null default now()`;

/** The rollup triggers of migration 0012, made again on the table each side of this migration leaves. */
const ROLLUP_TRIGGERS = sql`
  create trigger sales_daily_rollup_insert after insert on sales_daily
    referencing new table as new_rows
    for each statement execute function stash_sales_rollup_changes();
  create trigger sales_daily_rollup_update after update on sales_daily
    referencing old table as old_rows new table as new_rows
    for each statement execute function stash_sales_rollup_changes();
  create trigger sales_daily_rollup_delete after delete on sales_daily
    referencing old table as old_rows
    for each statement execute function stash_sales_rollup_changes();`;

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop trigger sales_daily_rollup_insert on sales_daily;
    drop trigger sales_daily_rollup_update on sales_daily;
    drop trigger sales_daily_rollup_delete on sales_daily;
    alter table sales_daily rename to sales_daily_unpartitioned;
    alter index sales_daily_pkey rename to sales_daily_unpartitioned_pkey;

    create table sales_daily (
      ${COLUMNS},
      primary key (product_id, branch_id, date, channel)
    ) partition by range (date);

    create function sales_daily_month_partition(month date) returns text language sql immutable as $fn$
      select 'sales_daily_' || to_char(month, 'YYYY_MM')
    $fn$;

    create function ensure_sales_daily_months(days date[]) returns void language plpgsql as $fn$
    declare
      month date;
      missing date[];
    begin
      select array_agg(m order by m) into missing
      from (select distinct date_trunc('month', d)::date as m from unnest(days) as d where d is not null) as months
      where to_regclass(sales_daily_month_partition(m)) is null;
      if missing is null then
        return;
      end if;
      -- One maker at a time; once the lock is held, a month another one made is seen.
      lock table sales_daily in share update exclusive mode;
      foreach month in array missing loop
        if to_regclass(sales_daily_month_partition(month)) is null then
          execute format('create table %I (like sales_daily including defaults including constraints)',
            sales_daily_month_partition(month));
          execute format('alter table sales_daily attach partition %I for values from (%L) to (%L)',
            sales_daily_month_partition(month), month, (month + interval '1 month')::date);
        end if;
      end loop;
    end
    $fn$;

    select ensure_sales_daily_months(array(select distinct date from sales_daily_unpartitioned));
    insert into sales_daily (product_id, branch_id, date, channel, units, revenue_fen, orders, returning_orders,
        updated_at)
      select product_id, branch_id, date, channel, units, revenue_fen, orders, returning_orders, updated_at
      from sales_daily_unpartitioned
      order by product_id, branch_id, date, channel;
    drop table sales_daily_unpartitioned;

    ${ROLLUP_TRIGGERS}
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table sales_daily_unpartitioned (${COLUMNS});
    insert into sales_daily_unpartitioned select * from sales_daily;
    drop table sales_daily;
    drop function ensure_sales_daily_months(date[]);
    drop function sales_daily_month_partition(date);
    alter table sales_daily_unpartitioned rename to sales_daily;
    alter table sales_daily add primary key (product_id, branch_id, date, channel);

    ${ROLLUP_TRIGGERS}
  `.execute(db);
}
