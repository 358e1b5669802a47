import { sql, type Kysely } from 'kysely';

/**
 * Wakes outbox relays when rows arrive: one NOTIFY per inserting statement, delivered at commit
 * (Postgres folds repeats within a transaction), so a relay need not poll to be prompt.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create function tower_outbox_notify() returns trigger language plpgsql as $$
    begin
      perform pg_notify('tower_outbox', '');
      return null;
    end
    $$;
    create trigger outbox_notify after insert on outbox for each statement execute function tower_outbox_notify();
  `.execute(db);
}
