import { sql, type Kysely } from 'kysely';

/**
 * The daily and monthly rollups summed over branches as well (a product's day and month at the whole
 * chain), kept at ingestion beside the per-branch ones: the quarterly review reads a row per product
 * and month instead of one per branch, and the days of a month a cost or price change splits from a
 * row per product and day instead of one per branch and channel. The list prices in force over time, as the cost history does for costs: the review's average
 * discount compares what was charged with the list price of the day it was sold, not today's. The
 * current list prices are the first records. A review decision also keeps the stage and version the
 * product had when it was taken, so that decisions which move nothing (keep, promote) show in the
 * product's history beside its transitions.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table list_price_history (
      id bigint generated always as identity primary key,
      product_id uuid not null references products (id) on delete cascade,
      effective_from date not null,
      amount_fen bigint not null check (amount_fen >= 0),
      recorded_at timestamptz not null default now()
    );
    create index list_price_history_product_idx on list_price_history (product_id, id);
    insert into list_price_history (product_id, effective_from, amount_fen, recorded_at)
      select product_id, (updated_at at time zone 'Asia/Shanghai')::date, amount_fen, updated_at
      from product_prices where type = 'list';

    alter table review_decisions add column stage text;
    alter table review_decisions add column product_version integer;
    update review_decisions d set stage = p.stage, product_version = p.version
      from products p where p.id = d.product_id;
    alter table review_decisions alter column stage set not null;
    alter table review_decisions alter column product_version set not null;
    create index review_decisions_product_idx on review_decisions (product_id, decided_at);

    create table sales_product_monthly (
      month date not null,
      product_id uuid not null references products (id) on delete cascade,
      units bigint not null,
      revenue_fen bigint not null,
      orders bigint not null,
      returning_orders bigint not null,
      first_sale_on date,
      primary key (month, product_id)
    );
    insert into sales_product_monthly
      select month, product_id, sum(units), sum(revenue_fen), sum(orders), sum(returning_orders), min(first_sale_on)
      from sales_monthly group by month, product_id;
    create index sales_monthly_product_month_idx on sales_monthly (product_id, month);

    create table sales_product_daily (
      product_id uuid not null references products (id) on delete cascade,
      date date not null,
      units bigint not null,
      revenue_fen bigint not null,
      orders bigint not null,
      returning_orders bigint not null,
      primary key (product_id, date)
    );
    insert into sales_product_daily
      select product_id, date, sum(units), sum(revenue_fen), sum(orders), sum(returning_orders)
      from sales_daily group by product_id, date;
  `.execute(db);
}
