import { sql, type Kysely } from 'kysely';

/**
 * Branch and department codes as chains write them (`SH01`, `BJ-CY`): kept as typed, unique
 * regardless of case. Idempotency keys record what the request did (`accepted`, `created`,
 * `existing`); the API, not the engine, turns that into an HTTP status. Rows written before keep
 * their `status_code`, read back as the outcome it stood for.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table branches drop constraint branches_code_key;
    create unique index branches_code_key on branches (lower(code));
    alter table departments drop constraint departments_code_key;
    create unique index departments_code_key on departments (lower(code));
    alter table idempotency_keys add column outcome text
      check (outcome in ('accepted', 'created', 'existing'));
  `.execute(db);
}
