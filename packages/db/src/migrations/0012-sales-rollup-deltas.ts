import { sql, type Kysely } from 'kysely';

/**
 * The sales rollups (per branch and month, chain-wide per day and per month) move by deltas taken from
 * the statement's transition tables instead of being recomputed under a product-month lock. An INSERT,
 * UPDATE (an upsert's replaced rows) or DELETE on sales_daily stashes, per row, its change in the
 * session's temporary `sales_rollup_changes` (the exact old and new figures, even when another batch
 * replaced the same row a moment before: the transition tables hold the row versions this statement
 * replaced); `apply_sales_rollup_changes()` then adds them to the rollups, one statement per table in
 * key order, and empties the stash. Additions commute, so concurrent batches of the same product and
 * month no longer wait on each other, except for the rollup rows they share, and those only from the
 * apply to their commit.
 *
 * first_sale_on (the first day with units in the month) is the earliest of the old and the new when
 * days gain sales; where a day that sold is brought to zero, it is read again from the daily rows after
 * the rollup row is locked (a new statement sees every batch that wrote it before), so a batch that
 * writes it later moves it by `least` from a settled value.
 *
 * The monthly rollups and the evaluation watermarks are rewritten by nearly every batch of a backfill:
 * with pages half filled, those updates stay on their page (HOT), and no index is written for them.
 *
 * Whoever writes sales_daily calls the apply in the same transaction (the repository's upsert does);
 * the stash is emptied at commit, so a writer that does not apply leaves the rollups as they were.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table sales_monthly set (fillfactor = 50);
    alter table sales_product_monthly set (fillfactor = 50);
    alter table sales_evaluation_marks set (fillfactor = 50);

    create function stash_sales_rollup_changes() returns trigger language plpgsql as $fn$
    begin
      if to_regclass('pg_temp.sales_rollup_changes') is null then
        create temporary table sales_rollup_changes (
          product_id uuid not null,
          branch_id uuid not null,
          date date not null,
          units bigint not null,
          revenue_fen bigint not null,
          orders bigint not null,
          returning_orders bigint not null,
          -- the day has units after the change (a candidate for first_sale_on)
          sold boolean not null,
          -- the day had units before the change and has none after (first_sale_on is read again)
          unsold boolean not null
        ) on commit delete rows;
      end if;
      if tg_op = 'INSERT' then
        insert into pg_temp.sales_rollup_changes
        select product_id, branch_id, date, units, revenue_fen, orders, returning_orders, units > 0, false
        from new_rows;
      elsif tg_op = 'UPDATE' then
        insert into pg_temp.sales_rollup_changes
        select product_id, branch_id, date, sum(units), sum(revenue_fen), sum(orders), sum(returning_orders),
          bool_or(sold_after), bool_or(sold_before) and not bool_or(sold_after)
        from (
          select product_id, branch_id, date, units, revenue_fen, orders, returning_orders,
            units > 0 as sold_after, false as sold_before
          from new_rows
          union all
          select product_id, branch_id, date, -units, -revenue_fen, -orders, -returning_orders,
            false, units > 0
          from old_rows
        ) as change
        group by product_id, branch_id, date;
      else
        insert into pg_temp.sales_rollup_changes
        select product_id, branch_id, date, -units, -revenue_fen, -orders, -returning_orders, false, units > 0
        from old_rows;
      end if;
      return null;
    end
    $fn$;

    create trigger sales_daily_rollup_insert after insert on sales_daily
      referencing new table as new_rows
      for each statement execute function stash_sales_rollup_changes();
    create trigger sales_daily_rollup_update after update on sales_daily
      referencing old table as old_rows new table as new_rows
      for each statement execute function stash_sales_rollup_changes();
    create trigger sales_daily_rollup_delete after delete on sales_daily
      referencing old table as old_rows
      for each statement execute function stash_sales_rollup_changes();

    create function apply_sales_rollup_changes() returns void language plpgsql as $fn$
    begin
      if to_regclass('pg_temp.sales_rollup_changes') is null then
        return;
      end if;
      -- One table after the other, each in its key order: concurrent batches lock shared rows in one order.
      insert into sales_monthly as t
        (product_id, branch_id, month, units, revenue_fen, orders, returning_orders, first_sale_on)
      select product_id, branch_id, date_trunc('month', date::timestamp)::date, sum(units), sum(revenue_fen),
        sum(orders), sum(returning_orders), min(date) filter (where sold)
      from pg_temp.sales_rollup_changes
      group by 1, 2, 3
      order by 1, 2, 3
      on conflict (product_id, branch_id, month) do update set
        units = t.units + excluded.units, revenue_fen = t.revenue_fen + excluded.revenue_fen,
        orders = t.orders + excluded.orders, returning_orders = t.returning_orders + excluded.returning_orders,
        first_sale_on = least(t.first_sale_on, excluded.first_sale_on);
      update sales_monthly as t set first_sale_on = (
          select min(d.date) from sales_daily d
          where d.product_id = t.product_id and d.branch_id = t.branch_id
            and d.date >= t.month and d.date < t.month + interval '1 month' and d.units > 0)
      from (
        select distinct product_id, branch_id, date_trunc('month', date::timestamp)::date as month
        from pg_temp.sales_rollup_changes where unsold
      ) as k
      where t.product_id = k.product_id and t.branch_id = k.branch_id and t.month = k.month;

      insert into sales_product_daily as t (product_id, date, units, revenue_fen, orders, returning_orders)
      select product_id, date, sum(units), sum(revenue_fen), sum(orders), sum(returning_orders)
      from pg_temp.sales_rollup_changes
      group by 1, 2
      order by 1, 2
      on conflict (product_id, date) do update set
        units = t.units + excluded.units, revenue_fen = t.revenue_fen + excluded.revenue_fen,
        orders = t.orders + excluded.orders, returning_orders = t.returning_orders + excluded.returning_orders;

      insert into sales_product_monthly as t
        (month, product_id, units, revenue_fen, orders, returning_orders, first_sale_on)
      select date_trunc('month', date::timestamp)::date, product_id, sum(units), sum(revenue_fen), sum(orders),
        sum(returning_orders), min(date) filter (where sold)
      from pg_temp.sales_rollup_changes
      group by 1, 2
      order by 1, 2
      on conflict (month, product_id) do update set
        units = t.units + excluded.units, revenue_fen = t.revenue_fen + excluded.revenue_fen,
        orders = t.orders + excluded.orders, returning_orders = t.returning_orders + excluded.returning_orders,
        first_sale_on = least(t.first_sale_on, excluded.first_sale_on);
      update sales_product_monthly as t set first_sale_on = (
          select min(m.first_sale_on) from sales_monthly m
          where m.product_id = t.product_id and m.month = t.month)
      from (
        select distinct product_id, date_trunc('month', date::timestamp)::date as month
        from pg_temp.sales_rollup_changes where unsold
      ) as k
      where t.product_id = k.product_id and t.month = k.month;

      delete from pg_temp.sales_rollup_changes;
    end
    $fn$;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop trigger sales_daily_rollup_insert on sales_daily;
    drop trigger sales_daily_rollup_update on sales_daily;
    drop trigger sales_daily_rollup_delete on sales_daily;
    drop function stash_sales_rollup_changes();
    drop function apply_sales_rollup_changes();
    alter table sales_monthly reset (fillfactor);
    alter table sales_product_monthly reset (fillfactor);
    alter table sales_evaluation_marks reset (fillfactor);
  `.execute(db);
}
