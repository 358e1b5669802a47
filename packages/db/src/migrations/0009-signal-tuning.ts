import { sql, type Kysely } from 'kysely';

/**
 * False-alarm feedback per (product, signal, branch): how many of a key's tasks were called false alarms
 * since an admin last reset it, and the tightening level that earned. `branch_key` is the branch id, or
 * `chain` for a product judged across every branch (branch_id null).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table signal_tuning (
      product_id uuid not null references products (id),
      signal text not null,
      branch_key text not null,
      branch_id uuid references branches (id),
      false_alarms integer not null default 0 check (false_alarms >= 0),
      level integer not null default 0 check (level >= 0),
      reset_at timestamptz,
      reset_by uuid references people (id),
      updated_at timestamptz not null default now(),
      primary key (product_id, signal, branch_key),
      check ((branch_id is null) = (branch_key = 'chain'))
    );
  `.execute(db);
}
