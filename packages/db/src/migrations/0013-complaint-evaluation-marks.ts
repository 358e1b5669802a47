import { sql, type Kysely } from 'kysely';

/**
 * Complaints are evaluated from Postgres, not one job each: a complaint is pending until a run of the
 * deduplicated `evaluate-complaints` job evaluates it (`evaluated_at`), and one row,
 * `complaint_evaluation_marks`, says "complaints wait, and a run is queued or running". The transaction
 * that stores complaints holds it with a share lock, and queues a run only when it created the row; a
 * run clears it once it has drained the pending complaints and, holding it alone, finds none waiting. A
 * burst queues one job, and the API's transactions under load write no outbox row (and send no NOTIFY).
 *
 * Complaints already in are evaluated, except those whose `evaluate-complaint` job (one per complaint,
 * the former way) had not finished: they are pending again, and those jobs' outbox rows are done.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table complaints add column evaluated_at timestamptz;
    update complaints c set evaluated_at = c.created_at
    where not exists (
      select 1 from outbox o
      where o.job_name = 'evaluate-complaint' and o.completed_at is null
        and o.job_id = 'evaluate-complaint-' || c.id::text
    );
    update outbox set sent_at = coalesce(sent_at, now()), completed_at = now()
    where job_name = 'evaluate-complaint' and completed_at is null;
    create index complaints_pending_idx on complaints (created_at, id) where evaluated_at is null;

    create table complaint_evaluation_marks (
      one boolean primary key default true check (one),
      created_at timestamptz not null default now()
    );
    insert into complaint_evaluation_marks (one)
    select true where exists (select 1 from complaints where evaluated_at is null);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table complaint_evaluation_marks;
    drop index complaints_pending_idx;
    alter table complaints drop column evaluated_at;
  `.execute(db);
}
