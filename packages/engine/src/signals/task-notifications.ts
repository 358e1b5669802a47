import { insertNotifications, insertOutbox, type OutboxMessage, type Person, type Tx } from '@tower/db';
import { jobIdFor } from '@tower/queue';

export interface NotificationRow {
  personId: string;
  channelId: string;
  kind: string;
  reason: string;
  taskId: string;
}

/** One notification per channel of each of `personIds` (looked up in `people`) for `reason`. */
export function notificationsFor(
  taskId: string,
  people: readonly Person[],
  personIds: readonly string[],
  reason: string,
): NotificationRow[] {
  const byId = new Map(people.map((p) => [p.id, p]));
  return personIds.flatMap((personId) =>
    (byId.get(personId)?.channels ?? []).map((channel) => ({
      taskId,
      personId,
      channelId: channel.id,
      kind: channel.kind,
      reason,
    })),
  );
}

/** Notification rows and their delivery jobs, plus any other outbox messages, in one outbox write. */
export async function queueNotifications(
  tx: Tx,
  rows: readonly NotificationRow[],
  alongside: readonly OutboxMessage[] = [],
): Promise<void> {
  const ids = await insertNotifications(tx, rows);
  await insertOutbox(tx, [
    ...ids.map((notificationId): OutboxMessage => ({
      jobName: 'notify',
      jobId: jobIdFor('notify', notificationId),
      payload: { notificationId },
    })),
    ...alongside,
  ]);
}
