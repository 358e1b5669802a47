import { sql, type Kysely } from 'kysely';

/** Facts in (sales, complaints, targets, calendar), signals, review tasks, silences, notifications. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table sales_daily (
      product_id uuid not null references products (id) on delete cascade,
      branch_id uuid not null references branches (id),
      date date not null,
      channel text not null default '',
      units integer not null check (units >= 0),
      revenue_fen bigint not null check (revenue_fen >= 0),
      orders integer not null check (orders >= 0),
      returning_orders integer not null default 0 check (returning_orders >= 0),
      updated_at timestamptz not null default now(),
      primary key (product_id, branch_id, date, channel)
    );
    create table sales_monthly (
      product_id uuid not null references products (id) on delete cascade,
      branch_id uuid not null references branches (id),
      month date not null,
      units bigint not null,
      revenue_fen bigint not null,
      orders bigint not null,
      returning_orders bigint not null,
      primary key (product_id, branch_id, month)
    );

    create table complaints (
      id uuid primary key default gen_random_uuid(),
      external_id text not null unique,
      product_id uuid not null references products (id) on delete cascade,
      branch_id uuid not null references branches (id),
      occurred_at timestamptz not null,
      occurred_on date not null,
      category text not null,
      severity text not null,
      text text not null,
      customer_phone_masked text,
      created_at timestamptz not null default now()
    );
    create index complaints_product_branch_idx on complaints (product_id, branch_id, occurred_on);

    create table cost_changes (
      id uuid primary key default gen_random_uuid(),
      product_id uuid not null references products (id) on delete cascade,
      consumables_fen bigint,
      labour_fen bigint,
      overhead_fen bigint,
      marketing_fen bigint,
      effective_on date not null,
      created_at timestamptz not null default now()
    );

    create table sales_targets (
      product_id uuid not null references products (id) on delete cascade,
      branch_id uuid not null references branches (id),
      month date not null,
      units integer,
      revenue_fen bigint,
      updated_at timestamptz not null default now(),
      primary key (product_id, branch_id, month)
    );

    create table calendar_days (
      date date primary key,
      kind text not null check (kind in ('holiday', 'workday', 'promotion')),
      name text not null
    );

    create table idempotency_keys (
      key text not null,
      scope text not null,
      request_hash text not null,
      status_code integer,
      response jsonb,
      created_at timestamptz not null default now(),
      completed_at timestamptz,
      primary key (scope, key)
    );

    create table tasks (
      id uuid primary key default gen_random_uuid(),
      product_id uuid not null references products (id) on delete cascade,
      branch_id uuid references branches (id),
      signal text not null,
      subject_key text not null default '',
      severity text not null,
      status text not null check (status in ('open', 'acknowledged', 'resolved', 'dismissed')),
      snapshot jsonb not null,
      assignees uuid[] not null,
      informed uuid[] not null default '{}',
      due_at timestamptz not null,
      escalation_level integer not null default 0,
      last_fired_on date,
      decision text,
      resolution_note text,
      resolved_by uuid references people (id),
      resolved_at timestamptz,
      -- The data date an auto-resolution judged (facts of earlier dates are old news for this task).
      resolved_as_of date,
      acknowledged_by uuid references people (id),
      acknowledged_at timestamptz,
      feedback_useful boolean,
      feedback_by uuid references people (id),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    );
    create unique index tasks_one_open_key on tasks
      (product_id, signal, coalesce(branch_id, '00000000-0000-0000-0000-000000000000'::uuid), subject_key)
      where status in ('open', 'acknowledged');
    create index tasks_status_idx on tasks (status, created_at desc, id);
    -- Every task of a product and signal, whatever its status (resolved-as-of look-ups, per-product lists).
    create index tasks_product_signal_idx on tasks (product_id, signal);
    create index tasks_assignees_idx on tasks using gin (assignees);
    create index tasks_informed_idx on tasks using gin (informed);

    create table task_evidence (
      id bigint generated always as identity primary key,
      task_id uuid not null references tasks (id) on delete cascade,
      fired_on date not null,
      evidence_key text not null default '',
      data jsonb not null,
      created_at timestamptz not null default now(),
      unique (task_id, fired_on, evidence_key)
    );
    create table task_comments (
      id uuid primary key default gen_random_uuid(),
      task_id uuid not null references tasks (id) on delete cascade,
      author_id uuid not null references people (id),
      text text not null,
      created_at timestamptz not null default now()
    );
    create index task_comments_task_idx on task_comments (task_id, created_at);

    create table signals (
      id bigint generated always as identity primary key,
      product_id uuid not null references products (id) on delete cascade,
      branch_id uuid references branches (id),
      signal text not null,
      subject_key text not null default '',
      fired_on date not null,
      evidence_key text not null default '',
      evidence jsonb not null,
      silenced boolean not null default false,
      task_id uuid references tasks (id),
      created_at timestamptz not null default now()
    );
    create unique index signals_once_idx on signals
      (product_id, signal, coalesce(branch_id, '00000000-0000-0000-0000-000000000000'::uuid), subject_key, fired_on, evidence_key);

    create table silences (
      id uuid primary key default gen_random_uuid(),
      product_id uuid not null references products (id) on delete cascade,
      signal text not null,
      branch_id uuid references branches (id),
      until timestamptz not null,
      reason text not null,
      created_by uuid not null references people (id),
      created_at timestamptz not null default now()
    );
    create index silences_product_idx on silences (product_id, signal);

    create table notifications (
      id uuid primary key default gen_random_uuid(),
      task_id uuid not null references tasks (id) on delete cascade,
      person_id uuid not null references people (id),
      channel_id uuid references person_channels (id) on delete set null,
      kind text not null,
      reason text not null,
      status text not null default 'pending' check (status in ('pending', 'sent', 'failed')),
      attempts integer not null default 0,
      created_at timestamptz not null default now(),
      sent_at timestamptz,
      unique (task_id, person_id, channel_id, reason)
    );
    create table notification_attempts (
      id bigint generated always as identity primary key,
      notification_id uuid not null references notifications (id) on delete cascade,
      at timestamptz not null default now(),
      status_code integer,
      ok boolean not null,
      error text,
      duration_ms integer not null
    );
  `.execute(db);
}
