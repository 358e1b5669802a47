// The quarterly review's job scheduler: upserted by every worker that starts with schedulers on, yet
// one scheduler; its run reviews the quarter that ended before its scheduled time in Asia/Shanghai.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from 'bullmq';
import { createLogger } from '@tower/config';
import { createEngineContext } from '@tower/engine';
import { PROCESSORS, QUARTERLY_REVIEW_SCHEDULER, startWorker, type RunningWorker } from '@tower/worker';
import { startApi, type ApiHarness } from '../support/api.js';

let api: ApiHarness;
let workers: RunningWorker[] = [];

/** 09:00 Asia/Shanghai (01:00 UTC) on the next 1 Jan/Apr/Jul/Oct after `now`. */
function nextQuarterStart(now: Date): number {
  for (let year = now.getUTCFullYear(); ; year++) {
    for (const month of [0, 3, 6, 9]) {
      const at = Date.UTC(year, month, 1, 1, 0, 0);
      if (at > now.getTime()) return at;
    }
  }
}

beforeAll(async () => {
  api = await startApi();
}, 60_000);

afterAll(async () => {
  await Promise.all(workers.map((w) => w.close()));
  await api?.close();
});

describe('the quarterly review scheduler', () => {
  it('four workers starting at once leave one scheduler, at 09:00 Asia/Shanghai on the next quarter day', async () => {
    const startedAt = new Date();
    workers = await Promise.all(
      Array.from({ length: 4 }, (_, i) =>
        startWorker({
          config: api.config,
          db: api.db,
          logger: createLogger({ name: `worker-${i}`, level: 'silent' }),
          schedulers: true,
          queues: [],
        }),
      ),
    );
    const reviews = workers[0]!.queues.byName.reviews;
    const schedulers = await reviews.getJobSchedulers();
    expect(schedulers).toHaveLength(1);
    expect(schedulers[0]).toMatchObject({
      key: QUARTERLY_REVIEW_SCHEDULER,
      pattern: '0 0 9 1 1,4,7,10 *',
      tz: 'Asia/Shanghai',
    });
    expect(schedulers[0]!.next).toBe(nextQuarterStart(startedAt));
    const delayed = await reviews.getDelayed();
    expect(delayed.map((j) => j.name)).toEqual(['quarterly-review']);
  });

  it("its run reviews the quarter that ended before the run's scheduled time (1 Jan → Q4 of the year before)", async () => {
    const [job] = (await workers[0]!.queues.byName.reviews.getDelayed()) as Job[];
    const due = new Date(job!.opts.prevMillis!);
    const shanghai = new Date(due.getTime() + 8 * 3600_000);
    expect([0, 3, 6, 9]).toContain(shanghai.getUTCMonth());
    expect([shanghai.getUTCDate(), shanghai.getUTCHours(), shanghai.getUTCMinutes()]).toEqual([1, 9, 0]);
    const month = shanghai.getUTCMonth();
    const expected =
      month === 0 ? `${shanghai.getUTCFullYear() - 1}-Q4` : `${shanghai.getUTCFullYear()}-Q${month / 3}`;
    // The run itself, as the worker would call it, on a clock far from the due time (a late retry).
    const ctx = createEngineContext(api.db, () => new Date(due.getTime() + 5 * 86_400_000));
    const outcome = await PROCESSORS['quarterly-review']({ ctx, publicUrl: 'http://localhost' }, {}, job!);
    expect(outcome).toMatchObject({ quarter: expected });
    const rows = await api.db.selectFrom('reviews').select(['quarter', 'status']).execute();
    expect(rows).toEqual([{ quarter: expected, status: 'ready' }]);
  });
});
