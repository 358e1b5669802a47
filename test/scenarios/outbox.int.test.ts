import { randomUUID } from 'node:crypto';
import { createServer, connect, type AddressInfo, type Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { insertOutbox, type OutboxMessage } from '@tower/db';
import { createEngineContext, relayOutbox, type EngineContext } from '@tower/engine';
import { jobIdFor, JOBS, QueueSet } from '@tower/queue';
import { startApi, type ApiHarness } from '../support/api.js';

// The relay between Postgres and BullMQ, with no worker taking the jobs: what reaches the queues stays there to count.

let h: ApiHarness;
let ctx: EngineContext;
let relayA: QueueSet;
let relayB: QueueSet;

function stageJob(): OutboxMessage {
  const productId = randomUUID();
  return {
    jobName: 'stage-changed',
    jobId: jobIdFor('stage-changed', productId, 2),
    payload: { productId, version: 2, from: 'pricing', to: 'training' },
  };
}

function notifyJob(): OutboxMessage {
  const notificationId = randomUUID();
  return { jobName: 'notify', jobId: jobIdFor('notify', notificationId), payload: { notificationId } };
}

async function outboxRows() {
  return h.db.selectFrom('outbox').select(['id', 'jobId', 'sentAt']).orderBy('id').execute();
}

async function jobIds(queue: 'lifecycle' | 'notifications') {
  const jobs = await relayA.byName[queue].getJobs(['waiting', 'delayed', 'active', 'completed', 'failed']);
  return jobs.map((j) => j.id!).sort();
}

beforeAll(async () => {
  h = await startApi();
  ctx = createEngineContext(h.db, h.clock.now);
  // Two relays, each with its own connections, as two worker processes would have; no Worker consumes the queues.
  relayA = new QueueSet({ redisUrl: h.config.redisUrl, prefix: h.queuePrefix });
  relayB = new QueueSet({ redisUrl: h.config.redisUrl, prefix: h.queuePrefix });
});

afterEach(async () => {
  await h.db.deleteFrom('outbox').execute();
  await Promise.all(Object.values(relayA.byName).map((q) => q.obliterate({ force: true })));
});

afterAll(async () => {
  await relayA?.close();
  await relayB?.close();
  await h?.close();
});

describe('relayOutbox', () => {
  it('moves every row to BullMQ exactly once when two relays run at the same time, round after round', async () => {
    const stages = Array.from({ length: 40 }, stageJob);
    const notifications = Array.from({ length: 20 }, notifyJob);
    // Interleaved, so each claim of 7 rows spans both queues.
    await insertOutbox(
      h.db,
      stages.flatMap((c, i) => (notifications[i] ? [c, notifications[i]] : [c])),
    );

    let sent = 0;
    let rounds = 0;
    for (;;) {
      const outcomes = await Promise.all([
        relayOutbox(ctx, relayA, 7),
        relayOutbox(ctx, relayB, 7),
        relayOutbox(ctx, relayA, 7),
        relayOutbox(ctx, relayB, 7),
      ]);
      for (const outcome of outcomes) expect(outcome.rejected).toEqual([]);
      const thisRound = outcomes.reduce((sum, o) => sum + o.sent, 0);
      if (thisRound === 0) break;
      sent += thisRound;
      rounds += 1;
      expect(rounds).toBeLessThan(60);
    }

    expect(sent).toBe(60);
    expect(rounds).toBeGreaterThan(1);
    const rows = await outboxRows();
    expect(rows.filter((r) => r.sentAt === null)).toEqual([]);
    expect(await jobIds('lifecycle')).toEqual(stages.map((c) => c.jobId).sort());
    expect(await jobIds('notifications')).toEqual(notifications.map((n) => n.jobId).sort());
    expect(
      await relayA.byName.lifecycle.getJobCounts('waiting', 'delayed', 'active', 'completed', 'failed'),
    ).toEqual({
      waiting: 40,
      delayed: 0,
      active: 0,
      completed: 0,
      failed: 0,
    });
    expect((await relayA.byName.notifications.getJobCounts('waiting')).waiting).toBe(20);
  });

  it('adds no second job for a row whose job reached Redis before the relay crashed, and still marks the row sent', async () => {
    const message = stageJob();
    // The earlier relay's add went through, but its transaction never committed: the row is still pending.
    await relayA.byName.lifecycle.add(message.jobName, message.payload, { jobId: message.jobId });
    await insertOutbox(h.db, [message]);

    const outcome = await relayOutbox(ctx, relayB);
    expect(outcome.sent).toBe(1);
    expect((await outboxRows()).map((r) => r.sentAt !== null)).toEqual([true]);
    expect(await jobIds('lifecycle')).toEqual([message.jobId]);
  });

  it('keeps one waiting evaluation for two rows with the same deduplication id', async () => {
    const payload = { productId: randomUUID(), branchId: randomUUID(), date: '2026-11-01' };
    const jobId = jobIdFor('evaluate-sales', payload.productId, payload.branchId, payload.date);
    // Two ingestions of the same day, relayed by different relays.
    await insertOutbox(h.db, [{ jobName: 'evaluate-sales', jobId, payload }]);
    await relayOutbox(ctx, relayA);
    await insertOutbox(h.db, [{ jobName: 'evaluate-sales', jobId, payload }]);
    await relayOutbox(ctx, relayB);

    expect((await outboxRows()).every((r) => r.sentAt !== null)).toBe(true);
    // It waits its gather time (`gatherMs`) as a delayed job before it runs.
    const owed = await relayA.byName.signals.getJobs(['waiting', 'delayed']);
    expect(owed.map((j) => [j.name, j.data, j.opts.delay])).toEqual([
      ['evaluate-sales', payload, JOBS['evaluate-sales'].gatherMs],
    ]);
  });

  it('throws and leaves every row pending while Redis is unreachable; a later relay sends them all', async () => {
    const messages = [...Array.from({ length: 3 }, stageJob), ...Array.from({ length: 2 }, notifyJob)];
    await insertOutbox(h.db, messages);
    const down = new QueueSet({ redisUrl: 'redis://127.0.0.1:6399', prefix: h.queuePrefix });
    // The connections report the refused port as error events; the relay's own failure is what we assert.
    for (const queue of Object.values(down.byName)) queue.on('error', () => {});
    try {
      await expect(relayOutbox(ctx, down)).rejects.toMatchObject({ code: 'QUEUE_UNAVAILABLE' });
    } finally {
      await down.close().catch(() => {});
    }
    const pending = await outboxRows();
    expect(pending.map((r) => r.sentAt)).toEqual([null, null, null, null, null]);
    expect(await jobIds('lifecycle')).toEqual([]);

    const outcome = await relayOutbox(ctx, relayA);
    expect(outcome.sent).toBe(5);
    expect((await outboxRows()).every((r) => r.sentAt !== null)).toBe(true);
    expect(await jobIds('lifecycle')).toEqual(
      messages
        .slice(0, 3)
        .map((m) => m.jobId)
        .sort(),
    );
    expect(await jobIds('notifications')).toEqual(
      messages
        .slice(3)
        .map((m) => m.jobId)
        .sort(),
    );
  });

  it('throws the Redis client error rather than waiting out the deadline, leaving the rows pending, when Redis goes away after the relay had connected', async () => {
    // A TCP hop to the real Redis that the test can cut, as a network failure would.
    const redis = new URL(h.config.redisUrl);
    const sockets = new Set<Socket>();
    const hop = createServer((client) => {
      const upstream = connect(Number(redis.port || 6379), redis.hostname);
      for (const socket of [client, upstream]) {
        sockets.add(socket);
        socket.on('error', () => {});
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => hop.listen(0, '127.0.0.1', resolve));
    const viaHop = new QueueSet({
      redisUrl: `redis://127.0.0.1:${(hop.address() as AddressInfo).port}`,
      prefix: h.queuePrefix,
    });
    for (const queue of Object.values(viaHop.byName)) queue.on('error', () => {});
    try {
      const first = stageJob();
      await insertOutbox(h.db, [first]);
      expect((await relayOutbox(ctx, viaHop)).sent).toBe(1);

      hop.close();
      for (const socket of sockets) socket.destroy();
      const stranded = [stageJob(), notifyJob()];
      await insertOutbox(h.db, stranded);
      // The client refuses the write on the dead connection itself; the relay's deadline error
      // (QUEUE_UNAVAILABLE) is for a Redis that never answers, as in the test above.
      const failure = await relayOutbox(ctx, viaHop).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(Error);
      expect(failure).not.toMatchObject({ code: 'QUEUE_UNAVAILABLE' });
      expect((await outboxRows()).map((r) => r.sentAt === null)).toEqual([false, true, true]);

      expect((await relayOutbox(ctx, relayA)).sent).toBe(2);
      expect(await jobIds('lifecycle')).toEqual([first.jobId, stranded[0]!.jobId].sort());
      expect(await jobIds('notifications')).toEqual([stranded[1]!.jobId]);
    } finally {
      hop.close();
      await viaHop.close().catch(() => {});
    }
  });
});
