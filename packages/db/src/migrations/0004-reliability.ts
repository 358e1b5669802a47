import { sql, type Kysely } from 'kysely';

/**
 * Reliability and security (issue 8): people can be deactivated (with when and why); a notification
 * channel may carry a signing secret (DingTalk 加签, Feishu 签名校验); an outbox row records when its
 * job finished, so the reconciler can re-enqueue work Redis lost; partial indexes for its scans.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table people add column deactivated_at timestamptz, add column deactivation_reason text;
    alter table person_channels add column secret text;

    alter table outbox add column completed_at timestamptz;
    -- Work that went out before this migration counts as done: only new rows are reconciled.
    update outbox set completed_at = sent_at where sent_at is not null;
    create index outbox_unfinished_idx on outbox (sent_at) where sent_at is not null and completed_at is null;
    create index outbox_job_unfinished_idx on outbox (job_id) where completed_at is null;

    create index notifications_pending_idx on notifications (created_at) where status = 'pending';
    create index tasks_open_due_idx on tasks (due_at) where status = 'open';
  `.execute(db);
}
