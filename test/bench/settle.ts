import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import type { Db } from '@tower/db';
import type { createRedis } from '@tower/queue';
import type { HttpClient } from './http.js';
import { inParallel } from './seed.js';

/** The `n` of a `select count(*)::int as n …` query. */
export async function countOf(db: Db, query: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`${sql.raw(query)}`.execute(db);
  return Number(rows[0]?.n ?? 0);
}

/** Evaluation passes run so far: a product's `evaluate-sales` job each, counted by its outbox row. */
export function countEvaluationPasses(db: Db): Promise<number> {
  return countOf(db, `select count(*)::int as n from outbox where job_name = 'evaluate-sales'`);
}

/** Posts each JSON body to `POST /api/ingest/sales`, `concurrency` at a time; a 503 is retried (up to 10 tries). */
export async function postSales(
  client: HttpClient,
  bodies: readonly Buffer[],
  concurrency: number,
): Promise<void> {
  await inParallel(bodies, concurrency, async (body) => {
    for (let attempt = 1; ; attempt++) {
      const answer = await client.post('/api/ingest/sales', body);
      if (answer.status === 202) return;
      if (answer.status !== 503 || attempt === 10)
        throw new Error(`POST /api/ingest/sales answered ${answer.status}: ${answer.body.slice(0, 300)}`);
      await sleep(Math.random() * 50 * attempt);
    }
  });
}

/** What evaluation work is still owed: pairs with a watermark, unsent outbox rows, signals jobs in Redis. */
export async function evaluationsOwed(
  db: Db,
  redis: ReturnType<typeof createRedis>,
  queuePrefix: string,
): Promise<{ marks: number; pending: number; jobs: number }> {
  const key = `${queuePrefix}:signals`;
  const [marks, pending, waiting, active, prioritized] = await Promise.all([
    countOf(db, 'select count(*)::int as n from sales_evaluation_marks'),
    countOf(db, 'select count(*)::int as n from outbox where sent_at is null'),
    redis.llen(`${key}:wait`),
    redis.llen(`${key}:active`),
    redis.zcard(`${key}:prioritized`),
  ]);
  return { marks, pending, jobs: waiting + active + prioritized };
}
