import {
  findBranchById,
  findNotificationById,
  findProductById,
  findTaskById,
  listTaskEvidence,
  recordNotificationAttempt,
} from '@tower/db';
import { AppError } from '@tower/domain';
import type { EngineContext } from './context.js';
import { formatNotification, isAccepted, signRequest, type TaskMessage } from './notification.formats.js';

function summaryOf(evidence: unknown): string {
  const summary = (evidence as { summary?: unknown } | undefined)?.summary;
  return typeof summary === 'string' ? summary : '';
}

/** What a review task is about, from the evidence it opened with: `皮肤科 2026-Q3`. */
function reviewSubject(evidence: unknown): string {
  const data = (evidence ?? {}) as { departmentName?: unknown; quarter?: unknown };
  return [data.departmentName, data.quarter].filter((part) => typeof part === 'string').join(' ');
}

export interface DeliveryOptions {
  readonly publicUrl: string;
  readonly timeoutMs?: number;
  /** Whether this is the job's last attempt (then a failure marks the notification failed). */
  readonly finalAttempt: boolean;
}

/**
 * Posts one notification to one channel and records the attempt. Throws on failure so the queue
 * retries with backoff; each endpoint has its own job, so a dead one never holds up others.
 */
export async function deliverNotification(
  ctx: EngineContext,
  input: { notificationId: string },
  options: DeliveryOptions,
): Promise<'sent' | 'already_sent' | 'gone'> {
  const notification = await findNotificationById(ctx.db, input.notificationId);
  if (!notification || !notification.url) return 'gone';
  if (notification.status === 'sent') return 'already_sent';
  const task = await findTaskById(ctx.db, notification.taskId);
  if (!task) return 'gone';
  // A quarterly review's task is about a department's part of a review, not about one product.
  const product = task.productId ? await findProductById(ctx.db, task.productId) : undefined;
  if (task.productId && !product) return 'gone';
  const [branch, evidence] = await Promise.all([
    task.branchId ? findBranchById(ctx.db, task.branchId) : undefined,
    listTaskEvidence(ctx.db, [task.id]),
  ]);
  // A new task quotes what opened it; an escalation quotes the latest evidence.
  const opener = evidence.reduce<(typeof evidence)[number] | undefined>(
    (first, e) => (!first || e.id < first.id ? e : first),
    undefined,
  );
  const latest = notification.reason.startsWith('escalated') ? evidence.at(-1) : opener;
  const message: TaskMessage = {
    reason: notification.reason,
    taskId: task.id,
    signal: task.signal,
    severity: task.severity,
    productName: product?.name ?? reviewSubject(opener?.data),
    branchName: branch?.name ?? null,
    summary: summaryOf(latest?.data),
    firedOn: latest?.firedOn ?? null,
    dueAt: task.dueAt.toISOString(),
    escalationLevel: task.escalationLevel,
    url: `${options.publicUrl.replace(/\/$/, '')}/tasks/${task.id}`,
    deliveryId: notification.id,
  };
  const { kind } = notification;
  const started = performance.now();
  let status: number | null = null;
  let error: string | null = null;
  let ok = false;
  try {
    // Signed afresh on each attempt (the vendors refuse timestamps over an hour old); the secret is never logged.
    const signed = signRequest(
      kind,
      { url: notification.url, body: formatNotification(kind, message) },
      notification.secret,
      // The wall clock, not the engine's: the vendor checks the timestamp against its own clock.
      new Date(),
    );
    const response = await fetch(signed.url, {
      method: 'POST',
      // The delivery id is the same on every attempt of this notification: receivers drop repeats by it.
      headers: { 'content-type': 'application/json', 'x-tower-delivery-id': notification.id },
      body: JSON.stringify(signed.body),
      signal: AbortSignal.timeout(options.timeoutMs ?? 5000),
    });
    status = response.status;
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // a plain-text answer
    }
    ok = isAccepted(kind, response.status, body);
    if (!ok) error = `rejected: HTTP ${response.status} ${text.slice(0, 200)}`;
  } catch (caught) {
    error = caught instanceof Error ? `${caught.name}: ${caught.message}` : String(caught);
  }
  // The attempt row and the counters move together, so nobody reads one without the other.
  await ctx.db.transaction().execute((tx) =>
    recordNotificationAttempt(tx, {
      notificationId: notification.id,
      ok,
      statusCode: status,
      error,
      durationMs: Math.round(performance.now() - started),
      at: ctx.now(),
      final: !ok && options.finalAttempt,
    }),
  );
  if (!ok) throw new AppError('NOTIFICATION_FAILED', error ?? 'delivery failed', { kind });
  return 'sent';
}
