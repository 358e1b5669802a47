import { sql, type Kysely } from 'kysely';

/**
 * Launch checklists people coordinate in: templates per tier, versioned (a checklist records the
 * version that made it); items that keep their plan (days before the target date), an evidence link,
 * a cancelled status for a branch that left the launch, and a history of every change.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table launch_templates (
      tier text not null check (tier in ('traffic', 'profit', 'flagship', 'custom', 'package')),
      version integer not null check (version > 1),
      items jsonb not null,
      created_by uuid references people (id),
      created_at timestamptz not null default now(),
      primary key (tier, version)
    );

    alter table launch_items
      add column template_version integer not null default 1,
      add column days_before integer not null default 0,
      add column title_zh text,
      add column description text,
      add column evidence_url text,
      add column updated_at timestamptz not null default now();
    -- Items made before this migration: their plan is the distance from the target launch date.
    update launch_items i set days_before = greatest(p.target_launch_date - i.due_on, 0)
      from products p where p.id = i.product_id and p.target_launch_date is not null;
    alter table launch_items drop constraint launch_items_status_check;
    alter table launch_items add constraint launch_items_status_check
      check (status in ('pending', 'done', 'cancelled'));
    create index launch_items_owner_idx on launch_items (owner_role, branch_id, id);

    create table launch_item_events (
      id bigint generated always as identity primary key,
      item_id uuid not null references launch_items (id) on delete cascade,
      at timestamptz not null,
      actor_id uuid references people (id),
      change text not null check (change in ('created', 'completed', 'undone', 'cancelled', 'replanned')),
      note text,
      evidence_url text,
      due_on_before date,
      due_on_after date
    );
    create index launch_item_events_item_idx on launch_item_events (item_id, id);
  `.execute(db);
}
