import { sql, type Kysely } from 'kysely';

/**
 * Quarterly product-tower reviews: the review per quarter with its figures, the decisions taken on it,
 * the cost history the gross margin reads (costs in force when each sale was made), the first sale day
 * of each monthly rollup row (when a product began selling), and review tasks per department.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table product_cost_history (
      id bigint generated always as identity primary key,
      product_id uuid not null references products (id) on delete cascade,
      effective_from date not null,
      unit_cost_fen bigint not null,
      recorded_at timestamptz not null default now()
    );
    create index product_cost_history_product_idx on product_cost_history (product_id, effective_from, id);
    insert into product_cost_history (product_id, effective_from, unit_cost_fen, recorded_at)
      select product_id, coalesce(effective_on, (updated_at at time zone 'Asia/Shanghai')::date),
        consumables_fen + labour_fen + overhead_fen + marketing_fen, updated_at
      from product_costs;

    alter table sales_monthly add column first_sale_on date;
    update sales_monthly m set first_sale_on = (
      select min(d.date) from sales_daily d
      where d.product_id = m.product_id and d.branch_id = m.branch_id and d.units > 0
        and d.date >= m.month and d.date < m.month + interval '1 month');
    create index sales_monthly_month_idx on sales_monthly (month);

    create table reviews (
      id uuid primary key default gen_random_uuid(),
      quarter text not null unique check (quarter ~ '^[0-9]{4}-Q[1-4]$'),
      status text not null default 'pending' check (status in ('pending', 'ready')),
      departments jsonb not null default '[]',
      product_count integer not null default 0,
      requested_by uuid references people (id),
      computed_at timestamptz,
      compute_ms integer,
      runs integer not null default 0,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );

    create table review_decisions (
      review_id uuid not null references reviews (id) on delete cascade,
      product_id uuid not null references products (id) on delete cascade,
      decision text not null check (decision in ('keep', 'reprice', 'repackage', 'retrain', 'promote', 'retire')),
      note text not null,
      decided_by uuid not null references people (id),
      decided_at timestamptz not null default now(),
      lifecycle_event text,
      primary key (review_id, product_id)
    );

    alter table tasks alter column product_id drop not null;
    alter table tasks add column department_id uuid references departments (id);
    alter table tasks add column review_id uuid references reviews (id) on delete cascade;
    alter table tasks add constraint tasks_subject_check
      check (product_id is not null or (review_id is not null and department_id is not null));
    create unique index tasks_one_per_review_department on tasks (review_id, department_id)
      where review_id is not null;
  `.execute(db);
}
