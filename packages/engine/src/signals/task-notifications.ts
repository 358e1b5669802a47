import {
  insertNotificationsWithJobs,
  type NewNotification,
  type OutboxMessage,
  type Person,
  type Tx,
} from '@tower/db';
import type { EngineContext } from '../context.js';

/** A notification to a person's channel (each row goes to one channel). */
export type NotificationRow = NewNotification & { channelId: string };

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

/**
 * Notification rows and their delivery jobs (`notify`, one per row made now), plus any other outbox
 * messages, in one statement: the relay then adds the jobs to BullMQ in one `addBulk` per queue.
 */
export async function queueNotifications(
  ctx: EngineContext,
  tx: Tx,
  rows: readonly NotificationRow[],
  alongside: readonly OutboxMessage[] = [],
): Promise<void> {
  await insertNotificationsWithJobs(tx, rows, alongside, ctx.now());
}
