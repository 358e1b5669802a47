import { sql } from 'kysely';
import type { Executor } from '../connection.js';

export interface NewNotification {
  taskId: string;
  personId: string;
  channelId: string | null;
  kind: string;
  reason: string;
}

/** Creates notification rows once per (task, person, channel, reason); returns the ids made now. */
export async function insertNotifications(db: Executor, rows: readonly NewNotification[]): Promise<string[]> {
  if (rows.length === 0) return [];
  const inserted = await db
    .insertInto('notifications')
    .values([...rows])
    .onConflict((oc) => oc.columns(['taskId', 'personId', 'channelId', 'reason']).doNothing())
    .returning('id')
    .execute();
  return inserted.map((r) => r.id);
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
  },
): Promise<void> {
  await db
    .insertInto('notificationAttempts')
    .values({
      notificationId: attempt.notificationId,
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
      ...(attempt.ok ? { status: 'sent', sentAt: new Date() } : attempt.final ? { status: 'failed' } : {}),
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
