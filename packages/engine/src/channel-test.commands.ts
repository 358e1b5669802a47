import { randomUUID } from 'node:crypto';
import { findPersonById, insertAudit } from '@tower/db';
import { AppError, ROLES_THAT_MAY, type ChannelKind } from '@tower/domain';
import { hasAnyRole, requirePerson } from './access.js';
import type { Actor, EngineContext } from './context.js';
import { formatChannelTest } from './notification.formats.js';
import { postToChannel } from './notify.commands.js';

export interface ChannelTestOptions {
  readonly publicUrl: string;
  readonly timeoutMs?: number;
}

export interface ChannelTestResult {
  readonly channelId: string;
  readonly kind: ChannelKind;
  readonly delivered: boolean;
  /** The robot's HTTP status, or null when it could not be reached. */
  readonly statusCode: number | null;
  readonly error: string | null;
  readonly durationMs: number;
}

/**
 * Sends a test message to one of a person's notification channels now, so whoever set it up sees at once
 * whether the robot takes it. The person themself or an admin may; anyone else gets a 404, as for a
 * channel they cannot see. Nothing is queued: there is no task behind it, and a failure is the answer.
 */
export async function testPersonChannel(
  ctx: EngineContext,
  actor: Actor,
  input: { personId: string; channelId: string },
  options: ChannelTestOptions,
): Promise<ChannelTestResult> {
  const caller = requirePerson(actor);
  const mayTest = caller.id === input.personId || hasAnyRole(caller, ROLES_THAT_MAY.testAnyChannel);
  const person = mayTest ? await findPersonById(ctx.db, input.personId) : undefined;
  if (!person) throw new AppError('PERSON_NOT_FOUND', `No person ${input.personId}.`);
  const channel = person.channels.find((c) => c.id === input.channelId);
  if (!channel) throw new AppError('CHANNEL_NOT_FOUND', `No channel ${input.channelId} for this person.`);
  const kind = channel.kind;
  const deliveryId = randomUUID();
  const attempt = await postToChannel(
    { kind, url: channel.url, secret: channel.secret, deliveryId },
    formatChannelTest(kind, {
      requestedBy: caller.name,
      dashboardUrl: options.publicUrl.replace(/\/$/, '') + '/',
      deliveryId,
    }),
    options.timeoutMs,
  );
  await insertAudit(ctx.db, {
    actorId: caller.id,
    action: 'channel.tested',
    entity: 'person',
    entityId: person.id,
    data: { channelId: channel.id, kind, delivered: attempt.ok, statusCode: attempt.status },
  });
  return {
    channelId: channel.id,
    kind,
    delivered: attempt.ok,
    statusCode: attempt.status,
    error: attempt.error,
    durationMs: attempt.durationMs,
  };
}
