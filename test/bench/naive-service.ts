// The naive pipeline the latency bench compares against (DESIGN.md: "one INSERT per event, one job per
// event, a 7-round-trip worker transaction"): an HTTP route that stores each event with one INSERT and
// adds one BullMQ job for it, and a worker whose job opens the event's task in one transaction of seven
// round trips. No validation, authentication, batching or outbox: the plain way, as a yardstick.
//
//   naive-service.ts api | worker      DATABASE_URL, REDIS_URL, QUEUE_PREFIX and PORT (api) from the env
import { Queue, Worker } from 'bullmq';
import Fastify from 'fastify';
import pg from 'pg';
import { redisOptions } from '@tower/queue';

/** The tables it works on, created by the bench in its throwaway database. */
export const NAIVE_TABLES = `
  create table naive_events (
    id bigserial primary key, product_id uuid not null, branch_id uuid not null, text text not null,
    created_at timestamptz not null default now()
  );
  create table naive_tasks (
    id bigserial primary key, product_id uuid not null, branch_id uuid not null, event_id bigint not null,
    created_at timestamptz not null default now(), unique (product_id, branch_id)
  );
  create table naive_evidence (task_id bigint not null, event_id bigint not null);
`;

const QUEUE = 'naive-events';

async function main(): Promise<void> {
  const env = process.env;
  // The pool size our services' pools have (createDb).
  const pool = new pg.Pool({ connectionString: env.DATABASE_URL, max: 10 });
  const redisUrl = env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const prefix = env.QUEUE_PREFIX ?? 'naive';
  let close: () => Promise<void>;
  if (process.argv[2] === 'api') {
    const queue = new Queue(QUEUE, { connection: redisOptions(redisUrl, 'producer'), prefix });
    const app = Fastify();
    app.get('/health', () => ({ ok: true }));
    app.post('/events', async (request, reply) => {
      const event = request.body as { productId: string; branchId: string; text: string };
      const { rows } = await pool.query<{ id: string }>(
        'insert into naive_events (product_id, branch_id, text) values ($1, $2, $3) returning id',
        [event.productId, event.branchId, event.text],
      );
      await queue.add('open-task', { eventId: rows[0]!.id }, { removeOnComplete: 1000 });
      return reply.code(201).send({ id: rows[0]!.id });
    });
    await app.listen({ host: '127.0.0.1', port: Number(env.PORT) });
    close = async () => {
      await app.close();
      await queue.close();
    };
  } else {
    const worker = new Worker(
      QUEUE,
      async (job: { data: { eventId: string } }) => {
        const client = await pool.connect();
        try {
          await client.query('begin');
          const { rows } = await client.query<{ productId: string; branchId: string }>(
            'select product_id as "productId", branch_id as "branchId" from naive_events where id = $1',
            [job.data.eventId],
          );
          const event = rows[0]!;
          await client.query('select department_id, owner_id from products where id = $1', [event.productId]);
          const open = await client.query<{ id: string }>(
            'select id from naive_tasks where product_id = $1 and branch_id = $2 for update',
            [event.productId, event.branchId],
          );
          const task =
            open.rows[0] ??
            (
              await client.query<{ id: string }>(
                'insert into naive_tasks (product_id, branch_id, event_id) values ($1, $2, $3) returning id',
                [event.productId, event.branchId, job.data.eventId],
              )
            ).rows[0]!;
          await client.query('insert into naive_evidence (task_id, event_id) values ($1, $2)', [
            task.id,
            job.data.eventId,
          ]);
          await client.query('commit');
        } catch (error) {
          await client.query('rollback');
          throw error;
        } finally {
          client.release();
        }
      },
      { connection: redisOptions(redisUrl, 'worker'), prefix, concurrency: 8 },
    );
    close = () => worker.close();
  }
  process.once('SIGTERM', () => {
    void close()
      .then(() => pool.end())
      .then(() => process.exit(0));
  });
}

if (process.argv[2] === 'api' || process.argv[2] === 'worker') await main();
