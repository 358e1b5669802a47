import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@tower/config';
import type { Db } from '@tower/db';
import {
  createEngineContext,
  deliverNotification,
  escalateTask,
  evaluateComplaint,
  evaluateCompetitorPrices,
  evaluateCostChange,
  evaluateSales,
  onStageChanged,
  sweepStalledStages,
  type EngineContext,
} from '@tower/engine';
import { startWorker, type RunningWorker } from '@tower/worker';
import {
  call,
  makeBranch,
  makeDepartment,
  makePerson,
  startApi,
  type ApiHarness,
  type TestPerson,
} from '../support/api.js';
import {
  eventually,
  makeLiveProduct,
  settle,
  startReceiver,
  startStack,
  type StackHarness,
} from '../support/stack.js';
import { DIP_FIRE_DAYS, steadyThenDip, withChannels } from '../support/fixtures.js';
import type { ChannelKind } from '@tower/domain';

// BullMQ delivers a job at least once: a handler that runs twice must leave what one run left.

let receiver: Awaited<ReturnType<typeof startReceiver>>;

beforeAll(async () => {
  receiver = await startReceiver(['/dead']);
});

afterAll(async () => {
  await receiver?.close();
});

interface Cast {
  admin: TestPerson;
  owner: TestPerson;
  marketing: TestPerson;
  director: TestPerson;
  manager: TestPerson;
  department: string;
  branchA: string;
  branchB: string;
}

async function makeCast(db: Db): Promise<Cast> {
  const department = (await makeDepartment(db)).id;
  const branchA = (await makeBranch(db)).id;
  const branchB = (await makeBranch(db)).id;
  const channels = (person: TestPerson, kinds: ChannelKind[]) =>
    withChannels(db, person, kinds, receiver.url);
  return {
    department,
    branchA,
    branchB,
    admin: await makePerson(db, [{ role: 'admin' }], 'Admin'),
    owner: await channels(await makePerson(db, [{ role: 'product_manager' }], 'Owner'), ['wecom']),
    marketing: await channels(await makePerson(db, [{ role: 'marketing_manager' }], 'Marketing'), [
      'dingtalk',
    ]),
    director: await channels(await makePerson(db, [{ role: 'director' }], 'Director'), ['feishu']),
    manager: await channels(
      await makePerson(
        db,
        [{ role: 'department_manager', departmentId: department, branchId: branchB }],
        'Manager B',
      ),
      ['webhook'],
    ),
  };
}

/** Every row a signal handler may write, in a stable order. */
async function snapshot(db: Db) {
  const [tasks, taskEvidence, signals, notifications, notificationAttempts, outbox] = await Promise.all([
    db.selectFrom('tasks').selectAll().orderBy('id').execute(),
    db.selectFrom('taskEvidence').selectAll().orderBy('id').execute(),
    db.selectFrom('signals').selectAll().orderBy('id').execute(),
    db.selectFrom('notifications').selectAll().orderBy('id').execute(),
    db.selectFrom('notificationAttempts').selectAll().orderBy('id').execute(),
    db.selectFrom('outbox').selectAll().orderBy('id').execute(),
  ]);
  return { tasks, taskEvidence, signals, notifications, notificationAttempts, outbox };
}

describe('every job handler run twice with the same payload', () => {
  let h: ApiHarness;
  let ctx: EngineContext;
  let cast: Cast;

  /** Runs `handler` twice; the second run must change no row. Returns both results and what the first changed. */
  async function twice<T>(handler: () => Promise<T>) {
    const beforeFirst = await snapshot(h.db);
    const first = await handler();
    const afterFirst = await snapshot(h.db);
    const second = await handler();
    const afterSecond = await snapshot(h.db);
    expect(afterSecond).toEqual(afterFirst);
    return { first, second, beforeFirst, afterFirst };
  }

  async function product(name: string) {
    return makeLiveProduct(h.db, { departmentId: cast.department, ownerId: cast.owner.id, name });
  }

  async function post(url: string, body: unknown) {
    const response = await call(h.app, 'POST', url, { token: cast.admin.token, body });
    expect(response.status).toBeLessThan(300);
    return response.body;
  }

  let dipProduct: string;
  let stalledProduct: string;

  beforeAll(async () => {
    // The API alone: facts go in through it, their outbox rows stay pending, and the test plays the worker.
    h = await startApi();
    ctx = createEngineContext(h.db, h.clock.now);
    cast = await makeCast(h.db);
    dipProduct = await product('Twice-run dip');
    await post('/api/ingest/sales', { rows: steadyThenDip(dipProduct, cast.branchA) });
  });

  afterAll(async () => {
    await h?.close();
  });

  it('evaluate-sales: opens the sales_dip task once, then adds a day of evidence once', async () => {
    const opening = await twice(() =>
      evaluateSales(ctx, { productId: dipProduct, branchId: cast.branchA, date: DIP_FIRE_DAYS[1]! }),
    );
    expect(opening.first.sales_dip).toBe('opened');
    expect(opening.second.sales_dip).toBe('already_recorded');
    expect(opening.afterFirst.tasks.length).toBe(opening.beforeFirst.tasks.length + 1);
    // Two notifications (owner, marketing), each with its outbox row, and the delayed escalation check.
    expect(opening.afterFirst.notifications).toHaveLength(2);
    expect(opening.afterFirst.outbox.length - opening.beforeFirst.outbox.length).toBe(3);

    const adding = await twice(() =>
      evaluateSales(ctx, { productId: dipProduct, branchId: cast.branchA, date: DIP_FIRE_DAYS[0]! }),
    );
    expect(adding.first.sales_dip).toBe('evidence_added');
    expect(adding.second.sales_dip).toBe('already_recorded');
    expect(adding.afterFirst.taskEvidence.map((e) => e.firedOn).sort()).toEqual([...DIP_FIRE_DAYS].sort());
  });

  it('evaluate-complaint: opens the severe_complaint task once, and the complaint_spike task once', async () => {
    const productId = await product('Twice-run complaints');
    const severe = await post('/api/ingest/complaints', {
      externalId: 'TWICE-SEVERE-1',
      productId,
      branchId: cast.branchB,
      occurredAt: '2026-10-28T03:00:00Z',
      category: 'adverse_reaction',
      severity: 'high',
      text: 'Bruising for a week',
    });
    const severeRuns = await twice(() => evaluateComplaint(ctx, { complaintId: severe.id }));
    expect(severeRuns.first).toEqual({ severe_complaint: 'opened', complaint_spike: 'quiet' });
    expect(severeRuns.second).toEqual({ severe_complaint: 'already_recorded', complaint_spike: 'quiet' });

    const ids: string[] = [];
    for (const [i, day] of ['2026-10-29', '2026-10-30'].entries()) {
      ids.push(
        (
          await post('/api/ingest/complaints', {
            externalId: `TWICE-SERVICE-${i}`,
            productId,
            branchId: cast.branchB,
            occurredAt: `${day}T03:00:00Z`,
            category: 'service',
            severity: 'low',
            text: 'Rude reception',
          })
        ).id,
      );
    }
    const spikeRuns = await twice(() => evaluateComplaint(ctx, { complaintId: ids[1]! }));
    expect(spikeRuns.first).toEqual({ complaint_spike: 'opened' });
    expect(spikeRuns.second).toEqual({ complaint_spike: 'already_recorded' });
    const spike = spikeRuns.afterFirst.tasks.find(
      (t) => t.productId === productId && t.signal === 'complaint_spike',
    );
    expect(spike!.assignees).toEqual([cast.manager.id]);
  });

  it('evaluate-competitor-prices: opens the competitor_undercut task once', async () => {
    const productId = await product('Twice-run undercut');
    await post('/api/ingest/competitor-prices', {
      rows: [{ productId, competitor: 'Yestar', priceFen: 200_000, observedAt: '2026-10-30' }],
    });
    const runs = await twice(() => evaluateCompetitorPrices(ctx, { productId }));
    expect(runs.first).toBe('opened');
    expect(runs.second).toBe('already_recorded');
  });

  it('evaluate-cost-change: opens the margin_erosion task once', async () => {
    const productId = await product('Twice-run cost change');
    await post('/api/ingest/cost-changes', { productId, consumablesFen: 250_000, effectiveOn: '2026-11-01' });
    const runs = await twice(() => evaluateCostChange(ctx, { productId }));
    expect(runs.first).toBe('opened');
    expect(runs.second).toBe('already_recorded');
  });

  it('sweep-stalled-stages: opens the stage_stalled task once for the same day', async () => {
    stalledProduct = await product('Twice-run stalled');
    await post(`/api/products/${stalledProduct}/events`, { type: 'REPRICE' });
    await h.db
      .updateTable('products')
      .set({ stageEnteredAt: new Date(h.clock.now().getTime() - 30 * 86_400_000) })
      .where('id', '=', stalledProduct)
      .execute();
    const runs = await twice(() => sweepStalledStages(ctx, { asOf: '2026-11-02' }));
    expect(runs.first).toEqual({ fired: 1, checked: 1 });
    expect(runs.afterFirst.tasks.filter((t) => t.signal === 'stage_stalled')).toHaveLength(1);
  });

  it('stage-changed: auto-resolves the stage_stalled task once', async () => {
    await post(`/api/products/${stalledProduct}/events`, { type: 'APPROVE_PRICING' });
    const job = await h.db
      .selectFrom('outbox')
      .select('payload')
      .where('jobName', '=', 'stage-changed')
      .where('jobId', 'like', `stage-changed-${stalledProduct}-%`)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    const payload = job.payload as { productId: string; version: number; from: string; to: string };
    expect(payload).toMatchObject({ from: 'pricing', to: 'training' });
    const runs = await twice(() => onStageChanged(ctx, payload));
    expect(runs.first).toBe(true);
    expect(runs.second).toBe(false);
    expect(runs.afterFirst.tasks.find((t) => t.productId === stalledProduct)!.status).toBe('resolved');
  });

  it('escalate-task: escalates to the director once and notifies them once', async () => {
    const task = await h.db
      .selectFrom('tasks')
      .select('id')
      .where('productId', '=', dipProduct)
      .executeTakeFirstOrThrow();
    const runs = await twice(() => escalateTask(ctx, { taskId: task.id, level: 1 }));
    expect(runs.first).toBe('escalated');
    expect(runs.second).toBe('skipped');
    const escalated = runs.afterFirst.tasks.find((t) => t.id === task.id)!;
    expect(escalated.escalationLevel).toBe(1);
    expect(escalated.assignees).toContain(cast.director.id);
    expect(
      runs.afterFirst.notifications.filter((n) => n.taskId === task.id && n.reason === 'escalated-1'),
    ).toHaveLength(1);
  });

  it('notify: posts once; the second run answers already_sent and records no attempt', async () => {
    const notification = await h.db
      .selectFrom('notifications')
      .innerJoin('tasks', 'tasks.id', 'notifications.taskId')
      .select('notifications.id')
      .where('tasks.productId', '=', dipProduct)
      .where('notifications.personId', '=', cast.owner.id)
      .executeTakeFirstOrThrow();
    const options = { publicUrl: 'http://localhost:3000', finalAttempt: false };
    const runs = await twice(() => deliverNotification(ctx, { notificationId: notification.id }, options));
    expect(runs.first).toBe('sent');
    expect(runs.second).toBe('already_sent');
    expect(
      runs.afterFirst.notificationAttempts
        .filter((a) => a.notificationId === notification.id)
        .map((a) => a.ok),
    ).toEqual([true]);
    expect(receiver.received.filter((r) => r.path === `/wecom/${cast.owner.id}`)).toHaveLength(1);
  });

  it('evaluate-sales for two days at once: the one that loses the race to open the task still moves its last-fired day on', async () => {
    const products = await Promise.all([1, 2, 3, 4, 5, 6].map((n) => product(`Racing dip ${n}`)));
    await post('/api/ingest/sales', { rows: products.flatMap((p) => steadyThenDip(p, cast.branchA)) });
    // Both days fire; whichever commits second finds the other's task and adds its evidence to it.
    await Promise.all(
      products.flatMap((productId) =>
        DIP_FIRE_DAYS.map((date) => evaluateSales(ctx, { productId, branchId: cast.branchA, date })),
      ),
    );
    const tasks = await h.db
      .selectFrom('tasks')
      .select(['id', 'lastFiredOn'])
      .where('productId', 'in', products)
      .execute();
    expect(tasks).toHaveLength(products.length);
    // Auto-resolve counts quiet days from lastFiredOn: left on the earlier day, it would close a day early.
    expect(tasks.map((t) => t.lastFiredOn)).toEqual(products.map(() => DIP_FIRE_DAYS[1]));
    const evidence = await h.db
      .selectFrom('taskEvidence')
      .select('id')
      .where(
        'taskId',
        'in',
        tasks.map((t) => t.id),
      )
      .execute();
    expect(evidence).toHaveLength(products.length * DIP_FIRE_DAYS.length);
  });
});

describe('two workers on the same queues', () => {
  let s: StackHarness;
  let second: RunningWorker;
  let cast: Cast;

  beforeAll(async () => {
    s = await startStack();
    second = await startWorker({
      config: s.config,
      db: s.db,
      logger: createLogger({ name: 'worker-test-2', level: s.config.logLevel }),
      now: s.clock.now,
    });
    cast = await makeCast(s.db);
    // Both branches dip alike: judged chain-wide too, the product would get one chain task instead
    // (test/scenarios/alerts.int.test.ts); here the branch keys are what the two workers race on.
    const rules = await call(s.app, 'PUT', '/api/rules', {
      token: cast.admin.token,
      body: { salesDip: { chainWide: false } },
    });
    expect(rules.status).toBe(200);
  });

  afterAll(async () => {
    await second?.close();
    await s?.close();
  });

  it('open exactly the tasks, evidence and notifications one worker would', async () => {
    const products = await Promise.all(
      [1, 2, 3].map((n) =>
        makeLiveProduct(s.db, { departmentId: cast.department, ownerId: cast.owner.id, name: `Shared ${n}` }),
      ),
    );
    const rows = products.flatMap((p) => [
      ...steadyThenDip(p, cast.branchA),
      ...steadyThenDip(p, cast.branchB),
    ]);
    expect(
      (await call(s.app, 'POST', '/api/ingest/sales', { token: cast.admin.token, body: { rows } })).status,
    ).toBe(202);
    for (const [i, day] of ['2026-10-26', '2026-10-27', '2026-10-28'].entries()) {
      const complaint = await call(s.app, 'POST', '/api/ingest/complaints', {
        token: cast.admin.token,
        body: {
          externalId: `SHARED-${i}`,
          productId: products[0],
          branchId: cast.branchB,
          occurredAt: `${day}T03:00:00Z`,
          category: 'service',
          severity: 'low',
          text: 'Booking was lost',
        },
      });
      expect(complaint.status).toBe(201);
    }
    const prices = await call(s.app, 'POST', '/api/ingest/competitor-prices', {
      token: cast.admin.token,
      body: {
        rows: products.map((productId) => ({
          productId,
          competitor: 'Yestar',
          priceFen: 200_000,
          observedAt: '2026-10-30',
        })),
      },
    });
    expect(prices.status).toBe(202);
    await settle(s, 30_000);

    const tasks = await s.db.selectFrom('tasks').select(['id', 'productId', 'signal', 'branchId']).execute();
    const keys = tasks.map((t) => `${t.productId}|${t.signal}|${t.branchId ?? '-'}`);
    const expected = [
      ...products.flatMap((p) => [
        `${p}|sales_dip|${cast.branchA}`,
        `${p}|sales_dip|${cast.branchB}`,
        `${p}|competitor_undercut|-`,
      ]),
      `${products[0]}|complaint_spike|${cast.branchB}`,
    ];
    expect(keys.sort()).toEqual(expected.sort());

    const evidence = await s.db.selectFrom('taskEvidence').select(['taskId', 'firedOn']).execute();
    for (const task of tasks) {
      const days = evidence
        .filter((e) => e.taskId === task.id)
        .map((e) => e.firedOn)
        .sort();
      if (task.signal === 'sales_dip') expect(days).toEqual(DIP_FIRE_DAYS);
      else expect(days).toHaveLength(1);
    }
    const signals = await s.db
      .selectFrom('signals')
      .select(['productId', 'signal', 'branchId', 'firedOn'])
      .execute();
    const signalKeys = signals.map((r) => `${r.productId}|${r.signal}|${r.branchId}|${r.firedOn}`);
    expect(new Set(signalKeys).size).toBe(signalKeys.length);
    expect(signals).toHaveLength(evidence.length);

    // Each notification posted once: a task's URL appears once per channel.
    await eventually('every notification to be sent', async () => {
      const pending = await s.db
        .selectFrom('notifications')
        .select('id')
        .where('status', '!=', 'sent')
        .executeTakeFirst();
      return !pending;
    });
    const notifications = await s.db
      .selectFrom('notifications')
      .select(['id', 'taskId', 'personId'])
      .execute();
    expect(notifications.length).toBeGreaterThanOrEqual(tasks.length);
    const posts = receiver.received
      .map((r) => {
        const taskId = tasks.find((t) => JSON.stringify(r.body).includes(t.id))?.id;
        return taskId ? `${r.path}|${taskId}` : undefined;
      })
      .filter((k) => k !== undefined);
    expect(posts).toHaveLength(notifications.length);
    expect(new Set(posts).size).toBe(posts.length);
  });

  it('keeps retrying a dead endpoint while another person’s notification for the same task is delivered', async () => {
    const deadOwner = await withChannels(
      s.db,
      await makePerson(s.db, [{ role: 'product_manager' }], 'Unreachable owner'),
      ['wecom'],
      `${receiver.url}/dead`,
    );
    const productId = await makeLiveProduct(s.db, {
      departmentId: cast.department,
      ownerId: deadOwner.id,
      name: 'Dead endpoint product',
    });
    const prices = await call(s.app, 'POST', '/api/ingest/competitor-prices', {
      token: cast.admin.token,
      body: { rows: [{ productId, competitor: 'Yestar', priceFen: 200_000, observedAt: '2026-10-30' }] },
    });
    expect(prices.status).toBe(202);

    const task = await eventually('the undercut task to open', () =>
      s.db.selectFrom('tasks').select('id').where('productId', '=', productId).executeTakeFirst(),
    );
    const notificationOf = (personId: string) =>
      eventually(`the notification for ${personId}`, () =>
        s.db
          .selectFrom('notifications')
          .selectAll()
          .where('taskId', '=', task.id)
          .where('personId', '=', personId)
          .executeTakeFirst(),
      );
    const dead = await notificationOf(deadOwner.id);
    const healthy = await notificationOf(cast.marketing.id);

    // The first retry comes after the job's 2-second backoff.
    const failures = await eventually(
      'two failed attempts at the dead endpoint',
      async () => {
        const attempts = await s.db
          .selectFrom('notificationAttempts')
          .selectAll()
          .where('notificationId', '=', dead.id)
          .execute();
        return attempts.length >= 2 ? attempts : undefined;
      },
      20_000,
    );
    expect(failures.every((a) => !a.ok && a.statusCode === 500)).toBe(true);

    const deadNow = await s.db
      .selectFrom('notifications')
      .selectAll()
      .where('id', '=', dead.id)
      .executeTakeFirstOrThrow();
    expect(deadNow.status).toBe('pending');
    expect(deadNow.attempts).toBeGreaterThanOrEqual(2);
    const healthyNow = await s.db
      .selectFrom('notifications')
      .selectAll()
      .where('id', '=', healthy.id)
      .executeTakeFirstOrThrow();
    expect(healthyNow.status).toBe('sent');
    const healthyAttempts = await s.db
      .selectFrom('notificationAttempts')
      .select('ok')
      .where('notificationId', '=', healthy.id)
      .execute();
    expect(healthyAttempts.map((a) => a.ok)).toEqual([true]);
    const toMarketing = receiver.received.filter(
      (r) =>
        r.path === `/dingtalk/${cast.marketing.id}` &&
        JSON.stringify(r.body).includes('Dead endpoint product'),
    );
    expect(toMarketing).toHaveLength(1);
  });
});
