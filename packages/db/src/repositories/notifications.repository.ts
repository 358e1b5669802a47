import { sql } from 'kysely';
import type { Insertable } from 'kysely';
import type { Executor } from '../connection.js';
import type { NotificationTable } from '../schema.js';

export type NewNotification = Pick<
  Insertable<NotificationTable>,
  'taskId' | 'personId' | 'channelId' | 'kind' | 'reason'
>;

/** Creates notification rows once per (task, person, channel, reason), made `at`; returns the ids made now. */
export async function insertNotifications(
  db: Executor,
  rows: readonly NewNotification[],
  at: Date,
): Promise<string[]> {
  if (rows.length === 0) return [];
  const inserted = await db
    .insertInto('notifications')
    .values(rows.map((row) => ({ ...row, createdAt: at })))
    .onConflict((oc) => oc.columns(['taskId', 'personId', 'channelId', 'reason']).doNothing())
    .returning('id')
    .execute();
  return inserted.map((r) => r.id);
}

/**
 * Notification rows (once per task, person, channel and reason) and, in the same statement, an outbox
 * row `notify` for each one made now, plus any other outbox messages given.
 */
export async function insertNotificationsWithJobs(
  db: Executor,
  rows: readonly NewNotification[],
  alongside: readonly { jobName: string; jobId: string; payload: unknown; runAt?: Date | null }[],
  at: Date,
): Promise<void> {
  if (rows.length === 0 && alongside.length === 0) return;
  await sql`
    with made as (
      insert into notifications (task_id, person_id, channel_id, kind, reason, created_at)
      select *, ${at}::timestamptz from unnest(${rows.map((r) => r.taskId)}::uuid[], ${rows.map((r) => r.personId)}::uuid[],
        ${rows.map((r) => r.channelId)}::uuid[], ${rows.map((r) => r.kind)}::text[], ${rows.map((r) => r.reason)}::text[])
      on conflict (task_id, person_id, channel_id, reason) do nothing
      returning id
    )
    insert into outbox (job_name, job_id, payload, run_at)
    select 'notify', 'notify-' || made.id, jsonb_build_object('notificationId', made.id), null::timestamptz from made
    union all
    select * from unnest(${alongside.map((m) => m.jobName)}::text[], ${alongside.map((m) => m.jobId)}::text[],
      ${alongside.map((m) => JSON.stringify(m.payload))}::jsonb[], ${alongside.map((m) => m.runAt ?? null)}::timestamptz[])
  `.execute(db);
}

export async function findNotificationById(db: Executor, id: string) {
  return db
    .selectFrom('notifications')
    .leftJoin('personChannels', 'personChannels.id', 'notifications.channelId')
    .select([
      'notifications.id',
      'notifications.taskId',
      'notifications.personId',
      'notifications.kind',
      'notifications.reason',
      'notifications.status',
      'notifications.attempts',
      'personChannels.url',
      'personChannels.secret',
    ])
    .where('notifications.id', '=', id)
    .executeTakeFirst();
}

export async function recordNotificationAttempt(
  db: Executor,
  attempt: {
    notificationId: string;
    ok: boolean;
    statusCode: number | null;
    error: string | null;
    durationMs: number;
    final: boolean;
    /** When the attempt finished (the engine's clock). */
    at: Date;
  },
): Promise<void> {
  await db
    .insertInto('notificationAttempts')
    .values({
      notificationId: attempt.notificationId,
      at: attempt.at,
      ok: attempt.ok,
      statusCode: attempt.statusCode,
      error: attempt.error,
      durationMs: attempt.durationMs,
    })
    .execute();
  await db
    .updateTable('notifications')
    .set({
      attempts: sql`attempts + 1`,
      ...(attempt.ok ? { status: 'sent', sentAt: attempt.at } : attempt.final ? { status: 'failed' } : {}),
    })
    .where('id', '=', attempt.notificationId)
    .execute();
}

export async function listNotifications(db: Executor, taskId: string) {
  return db
    .selectFrom('notifications')
    .select(['id', 'personId', 'kind', 'reason', 'status', 'attempts', 'sentAt'])
    .where('taskId', '=', taskId)
    .orderBy('createdAt')
    .execute();
}
