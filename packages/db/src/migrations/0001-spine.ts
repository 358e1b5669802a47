import { sql, type Kysely } from 'kysely';

/** People, organisation, auth, products with everything their gates read, history, outbox, audit. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table branches (
      id uuid primary key default gen_random_uuid(),
      code text not null unique,
      name text not null,
      created_at timestamptz not null default now()
    );
    create table departments (
      id uuid primary key default gen_random_uuid(),
      code text not null unique,
      name text not null,
      created_at timestamptz not null default now()
    );
    create table people (
      id uuid primary key default gen_random_uuid(),
      name text not null,
      email text not null,
      password_hash text not null,
      active boolean not null default true,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create unique index people_email_key on people (lower(email));
    create table person_roles (
      id uuid primary key default gen_random_uuid(),
      person_id uuid not null references people (id) on delete cascade,
      role text not null check (role in ('product_manager', 'marketing_manager', 'department_manager',
        'compliance_officer', 'director', 'admin')),
      department_id uuid references departments (id),
      branch_id uuid references branches (id)
    );
    create index person_roles_person_idx on person_roles (person_id);
    create index person_roles_role_idx on person_roles (role);
    create table person_channels (
      id uuid primary key default gen_random_uuid(),
      person_id uuid not null references people (id) on delete cascade,
      kind text not null check (kind in ('wecom', 'dingtalk', 'feishu', 'webhook')),
      url text not null
    );
    create index person_channels_person_idx on person_channels (person_id);
    create table sessions (
      id uuid primary key default gen_random_uuid(),
      person_id uuid not null references people (id) on delete cascade,
      token_hash text not null unique,
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      revoked_at timestamptz
    );
    create table api_keys (
      id uuid primary key default gen_random_uuid(),
      name text not null,
      key_hash text not null unique,
      scopes text[] not null,
      created_by uuid references people (id),
      created_at timestamptz not null default now(),
      revoked_at timestamptz
    );

    create table products (
      id uuid primary key default gen_random_uuid(),
      name text not null,
      department_id uuid not null references departments (id),
      tier text not null check (tier in ('traffic', 'profit', 'flagship', 'custom', 'package')),
      owner_id uuid not null references people (id),
      vendor text,
      stage text not null,
      stage_entered_at timestamptz not null default now(),
      snapshot jsonb not null,
      version integer not null default 1,
      sheet jsonb not null default '{}',
      target_customers text,
      target_launch_date date,
      retirement_end_on date,
      outstanding_prepaid_sessions integer not null default 0,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create index products_stage_idx on products (stage, id);
    create index products_department_idx on products (department_id, id);
    create index products_owner_idx on products (owner_id);

    create table competitor_prices (
      id uuid primary key default gen_random_uuid(),
      product_id uuid not null references products (id) on delete cascade,
      competitor text not null,
      price_fen bigint not null check (price_fen > 0),
      observed_at date not null,
      platform text,
      note text,
      created_by uuid references people (id),
      created_at timestamptz not null default now()
    );
    create index competitor_prices_product_idx on competitor_prices (product_id, observed_at desc);

    create table product_costs (
      product_id uuid primary key references products (id) on delete cascade,
      consumables_fen bigint not null check (consumables_fen >= 0),
      labour_fen bigint not null check (labour_fen >= 0),
      overhead_fen bigint not null check (overhead_fen >= 0),
      marketing_fen bigint not null check (marketing_fen >= 0),
      effective_on date,
      updated_at timestamptz not null default now()
    );
    create table product_prices (
      product_id uuid not null references products (id) on delete cascade,
      type text not null check (type in ('list', 'activity', 'first_order', 'repurchase', 'session_card',
        'flash_sale', 'member')),
      amount_fen bigint not null check (amount_fen > 0),
      sessions integer check (sessions is null or sessions > 0),
      updated_at timestamptz not null default now(),
      primary key (product_id, type)
    );
    create table price_approvals (
      id uuid primary key default gen_random_uuid(),
      product_id uuid not null references products (id) on delete cascade,
      type text not null,
      amount_fen bigint not null,
      approved_by uuid not null references people (id),
      reason text not null,
      created_at timestamptz not null default now()
    );
    create index price_approvals_product_idx on price_approvals (product_id);

    create table launch_branches (
      product_id uuid not null references products (id) on delete cascade,
      branch_id uuid not null references branches (id),
      primary key (product_id, branch_id)
    );
    create table trainees (
      id uuid primary key default gen_random_uuid(),
      product_id uuid not null references products (id) on delete cascade,
      branch_id uuid not null references branches (id),
      name text not null,
      role text not null check (role in ('doctor', 'consultant', 'nurse')),
      passed boolean,
      score numeric,
      result_at timestamptz,
      created_at timestamptz not null default now()
    );
    create index trainees_product_idx on trainees (product_id);

    create table lifecycle_transitions (
      id bigint generated always as identity primary key,
      product_id uuid not null references products (id) on delete cascade,
      event text not null,
      from_stage text,
      to_stage text not null,
      version integer not null,
      actor_id uuid references people (id),
      reason text,
      at timestamptz not null default now()
    );
    create index lifecycle_transitions_product_idx on lifecycle_transitions (product_id, id);

    create table launch_items (
      id uuid primary key default gen_random_uuid(),
      product_id uuid not null references products (id) on delete cascade,
      branch_id uuid not null references branches (id),
      owner_role text not null,
      department_id uuid references departments (id),
      title text not null,
      due_on date not null,
      required boolean not null default true,
      status text not null default 'pending' check (status in ('pending', 'done')),
      completed_by uuid references people (id),
      completed_at timestamptz,
      note text,
      created_at timestamptz not null default now()
    );
    create index launch_items_product_idx on launch_items (product_id);
    create index launch_items_open_idx on launch_items (due_on) where status = 'pending';

    create table outbox (
      id bigint generated always as identity primary key,
      job_name text not null,
      job_id text not null,
      payload jsonb not null,
      run_at timestamptz,
      created_at timestamptz not null default now(),
      sent_at timestamptz
    );
    create index outbox_pending_idx on outbox (id) where sent_at is null;

    create table audit_log (
      id bigint generated always as identity primary key,
      at timestamptz not null default now(),
      actor_id uuid,
      action text not null,
      entity text not null,
      entity_id text,
      data jsonb not null default '{}'
    );
    create index audit_log_entity_idx on audit_log (entity, entity_id);

    create table rules (
      id smallint primary key check (id = 1),
      data jsonb not null,
      updated_at timestamptz not null default now(),
      updated_by uuid references people (id)
    );
  `.execute(db);
}
