import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { Config } from '@tower/config';
import { countPendingOutbox, type Db } from '@tower/db';
import { ROLES_THAT_MAY } from '@tower/domain';
import { requireRole } from '@tower/engine';
import { QUEUES, QueueSet } from '@tower/queue';
import { actorOf } from '../plugins/auth.js';
import { replies } from '../schemas.js';

const Counts = Type.Object({ waiting: Type.Integer(), active: Type.Integer(), delayed: Type.Integer() });

/**
 * `GET /api/system/backlog` (admin): work the system still owes — outbox rows not yet queued and jobs
 * waiting or running per queue (delayed ones are escalations and retries due later). A loader such as
 * `pnpm demo` waits on it until every evaluation has settled.
 */
export function backlogRoutes(instance: FastifyInstance, deps: { config: Config; db: Db }): void {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  let queues: QueueSet | undefined;
  app.addHook('onClose', async () => {
    await queues?.close();
  });
  app.get(
    '/api/system/backlog',
    {
      schema: {
        tags: ['system'],
        summary: 'Work still owed: pending outbox rows and jobs per queue (admin)',
        response: replies({
          200: Type.Object({
            outboxPending: Type.Integer(),
            queues: Type.Record(Type.String(), Counts),
            settled: Type.Boolean(),
          }),
        }),
      },
    },
    async (request) => {
      requireRole(actorOf(request), ROLES_THAT_MAY.seeBacklog, 'see the backlog');
      queues ??= new QueueSet({ redisUrl: deps.config.redisUrl, prefix: deps.config.queuePrefix });
      const outboxPending = await countPendingOutbox(deps.db);
      const counts: Record<string, { waiting: number; active: number; delayed: number }> = {};
      for (const name of QUEUES) {
        const c = await queues.byName[name].getJobCounts('waiting', 'active', 'delayed', 'prioritized');
        counts[name] = {
          waiting: (c.waiting ?? 0) + (c.prioritized ?? 0),
          active: c.active ?? 0,
          delayed: c.delayed ?? 0,
        };
      }
      const settled = outboxPending === 0 && Object.values(counts).every((c) => c.waiting + c.active === 0);
      return { outboxPending, queues: counts, settled };
    },
  );
}
