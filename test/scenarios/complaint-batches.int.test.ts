import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertSilence, markComplaintsPending, type Db } from '@tower/db';
import {
  createEngineContext,
  evaluateComplaint,
  evaluateComplaints,
  evaluatePendingComplaints,
  reconcileQueues,
  type ComplaintOutcome,
  type EngineContext,
} from '@tower/engine';
import {
  call,
  makeBranch,
  makeDepartment,
  makePerson,
  startApi,
  type ApiHarness,
  type TestPerson,
} from '../support/api.js';
import { createLogger } from '@tower/config';
import type { QueueName } from '@tower/queue';
import { startWorker, type RunningWorker } from '@tower/worker';
import { withChannels } from '../support/fixtures.js';
import { eventually, makeLiveProduct, startStack, type StackHarness } from '../support/stack.js';

// A worker evaluates the complaint jobs it holds together, in one transaction: whatever a batch holds,
// each complaint must come out as its own evaluation, one after another, would have left it.

interface Cast {
  admin: TestPerson;
  owner: TestPerson;
  director: TestPerson;
  compliance: TestPerson;
  manager: TestPerson;
  department: string;
  branches: string[];
}

async function makeCast(db: Db, branches: number): Promise<Cast> {
  const department = (await makeDepartment(db)).id;
  const branchIds: string[] = [];
  for (let i = 0; i < branches; i++) branchIds.push((await makeBranch(db)).id);
  // Channels go nowhere: no worker delivers in the engine-level tests, and the stack's notifier may fail.
  const url = 'http://127.0.0.1:9';
  return {
    department,
    branches: branchIds,
    admin: await makePerson(db, [{ role: 'admin' }], 'Admin'),
    owner: await makePerson(db, [{ role: 'product_manager' }], 'Owner'),
    director: await withChannels(
      db,
      await makePerson(db, [{ role: 'director' }], 'Director'),
      ['feishu'],
      url,
    ),
    compliance: await withChannels(
      db,
      await makePerson(db, [{ role: 'compliance_officer' }], 'Compliance'),
      ['webhook'],
      url,
    ),
    // Department-wide: the manager of every branch's department.
    manager: await withChannels(
      db,
      await makePerson(db, [{ role: 'department_manager', departmentId: department }], 'Manager'),
      ['wecom', 'dingtalk'],
      url,
    ),
  };
}

interface ComplaintSpec {
  productId: string;
  branchId: string;
  externalId: string;
  occurredAt?: string;
  category?: string;
}

let externalIds = 0;
const nextExternalId = (label: string) => `${label}-${++externalIds}`;

function complaintBody(spec: ComplaintSpec) {
  return {
    externalId: spec.externalId,
    productId: spec.productId,
    branchId: spec.branchId,
    occurredAt: spec.occurredAt ?? '2026-10-28T03:00:00Z',
    category: spec.category ?? 'adverse_reaction',
    severity: 'high',
    text: 'Swelling after the session; call back on 13812345678.',
    customerPhone: '13812345678',
  };
}

/** Every task of `productIds` with its evidence, notifications and escalation job, keyed by position. */
async function tasksAndEffects(db: Db, productIds: readonly string[], branchIds: readonly string[]) {
  const tasks = await db
    .selectFrom('tasks')
    .selectAll()
    .where('productId', 'in', [...productIds])
    .orderBy('id')
    .execute();
  const ids = tasks.map((t) => t.id);
  const [evidence, notifications, escalations] =
    ids.length === 0
      ? [[], [], []]
      : await Promise.all([
          db.selectFrom('taskEvidence').selectAll().where('taskId', 'in', ids).execute(),
          db.selectFrom('notifications').selectAll().where('taskId', 'in', ids).execute(),
          db
            .selectFrom('outbox')
            .selectAll()
            .where('jobName', '=', 'escalate-task')
            .where(
              'jobId',
              'in',
              ids.map((id) => `escalate-task-${id}-1`),
            )
            .execute(),
        ]);
  return tasks
    .map((t) => ({
      product: productIds.indexOf(t.productId!),
      branch: t.branchId === null ? null : branchIds.indexOf(t.branchId),
      signal: t.signal,
      status: t.status,
      severity: t.severity,
      assignees: t.assignees,
      informed: t.informed,
      dueAt: t.dueAt,
      lastFiredOn: t.lastFiredOn,
      evidence: evidence
        .filter((e) => e.taskId === t.id)
        .map((e) => e.firedOn)
        .sort(),
      notifications: notifications
        .filter((n) => n.taskId === t.id)
        .map((n) => `${n.personId} ${n.kind} ${n.reason}`)
        .sort(),
      escalations: escalations.filter((o) => o.jobId === `escalate-task-${t.id}-1`).map((o) => o.runAt),
    }))
    .sort(
      (a, b) =>
        a.product - b.product || (a.branch ?? -1) - (b.branch ?? -1) || (a.signal < b.signal ? -1 : 1),
    );
}

describe('complaints evaluated together in one transaction', () => {
  let h: ApiHarness;
  let ctx: EngineContext;
  let cast: Cast;

  beforeAll(async () => {
    // The API alone: complaints go in through it, and the test plays the worker.
    h = await startApi();
    ctx = createEngineContext(h.db, h.clock.now);
    cast = await makeCast(h.db, 10);
  });

  afterAll(async () => {
    await h?.close();
  });

  async function products(n: number, label: string): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < n; i++)
      ids.push(
        await makeLiveProduct(h.db, {
          departmentId: cast.department,
          ownerId: cast.owner.id,
          name: `${label} ${i}`,
        }),
      );
    return ids;
  }

  /** Posts the complaints all at once (the API stores those arriving together in one transaction). */
  async function post(specs: readonly ComplaintSpec[]): Promise<string[]> {
    const answers = await Promise.all(
      specs.map((spec) =>
        call(h.app, 'POST', '/api/ingest/complaints', { token: cast.admin.token, body: complaintBody(spec) }),
      ),
    );
    for (const answer of answers) expect(answer.status).toBe(201);
    return answers.map((a) => (a.body as { id: string }).id);
  }

  const everyPair = (productIds: readonly string[], label: string): ComplaintSpec[] =>
    cast.branches.flatMap((branchId) =>
      productIds.map((productId) => ({ productId, branchId, externalId: nextExternalId(label) })),
    );

  it('opens exactly 200 tasks for 200 severe complaints of 20 products at 10 branches, as one at a time does', async () => {
    const batched = await products(20, 'Batched');
    const single = await products(20, 'One by one');
    const batchIds = await post(everyPair(batched, 'BATCH'));
    const singleIds = await post(everyPair(single, 'SINGLE'));

    const outcomes = await evaluateComplaints(ctx, { complaintIds: batchIds });
    expect(outcomes).toEqual(batchIds.map(() => ({ severe_complaint: 'opened', complaint_spike: 'quiet' })));
    const oneByOne: ComplaintOutcome[] = [];
    for (const complaintId of singleIds) oneByOne.push(await evaluateComplaint(ctx, { complaintId }));
    expect(oneByOne).toEqual(outcomes);

    const made = await tasksAndEffects(h.db, batched, cast.branches);
    expect(made).toHaveLength(200);
    expect(new Set(made.map((t) => `${t.product} ${t.branch}`)).size).toBe(200);
    expect(made[0]).toMatchObject({
      signal: 'severe_complaint',
      status: 'open',
      severity: 'critical',
      evidence: ['2026-10-28'],
      assignees: expect.arrayContaining([cast.manager.id, cast.compliance.id, cast.director.id]),
    });
    // The manager's two channels, the compliance officer's and the director's: four per task.
    expect(made.every((t) => t.notifications.length === 4 && t.escalations.length === 1)).toBe(true);
    expect(made).toEqual(await tasksAndEffects(h.db, single, cast.branches));

    // Run again (BullMQ delivers at least once): nothing new.
    expect(await evaluateComplaints(ctx, { complaintIds: batchIds })).toEqual(
      batchIds.map(() => ({ severe_complaint: 'already_recorded', complaint_spike: 'quiet' })),
    );
    expect(await tasksAndEffects(h.db, batched, cast.branches)).toEqual(made);
  });

  it('gives a key that several complaints of a batch share one task, with each complaint as evidence', async () => {
    const [productId] = await products(1, 'Shared key');
    const branchId = cast.branches[0]!;
    const ids = await post(
      ['2026-10-27T03:00:00Z', '2026-10-27T05:00:00Z'].map((occurredAt) => ({
        productId: productId!,
        branchId,
        occurredAt,
        externalId: nextExternalId('SHARED'),
      })),
    );
    const outcomes = await evaluateComplaints(ctx, { complaintIds: [ids[0]!, ids[1]!, ids[0]!] });
    expect(outcomes.map((o) => o.severe_complaint)).toEqual(['opened', 'evidence_added', 'already_recorded']);
    const [task, ...others] = await tasksAndEffects(h.db, [productId!], cast.branches);
    expect(others).toEqual([]);
    expect(task!.evidence).toEqual(['2026-10-27', '2026-10-27']);
  });

  it('gives a silenced key, a key already open and a run of complaints making a spike what one at a time gives', async () => {
    const scene = async (label: string) => {
      const [silenced, alreadyOpen, spiking] = await products(3, label);
      await insertSilence(h.db, {
        productId: silenced!,
        signal: 'severe_complaint',
        branchId: null,
        until: new Date('2026-12-01T00:00:00Z'),
        reason: 'Known vendor batch, handled with the vendor',
        createdBy: cast.admin.id,
      });
      const [earlier] = await post([
        { productId: alreadyOpen!, branchId: cast.branches[1]!, externalId: nextExternalId(label) },
      ]);
      await evaluateComplaint(ctx, { complaintId: earlier! });
      const ids = await post([
        { productId: silenced!, branchId: cast.branches[1]!, externalId: nextExternalId(label) },
        {
          productId: alreadyOpen!,
          branchId: cast.branches[1]!,
          occurredAt: '2026-10-29T03:00:00Z',
          externalId: nextExternalId(label),
        },
        ...['2026-10-25', '2026-10-26', '2026-10-27'].map((day) => ({
          productId: spiking!,
          branchId: cast.branches[2]!,
          occurredAt: `${day}T03:00:00Z`,
          category: 'service',
          externalId: nextExternalId(label),
        })),
      ]);
      return { productIds: [silenced!, alreadyOpen!, spiking!], ids };
    };
    const batched = await scene('MIXED-BATCH');
    const single = await scene('MIXED-SINGLE');

    const outcomes = await evaluateComplaints(ctx, { complaintIds: batched.ids });
    expect(outcomes).toEqual([
      { severe_complaint: 'silenced', complaint_spike: 'quiet' },
      { severe_complaint: 'evidence_added', complaint_spike: 'quiet' },
      { complaint_spike: 'quiet' },
      { complaint_spike: 'quiet' },
      { complaint_spike: 'opened' },
    ]);
    const oneByOne: ComplaintOutcome[] = [];
    for (const complaintId of single.ids) oneByOne.push(await evaluateComplaint(ctx, { complaintId }));
    expect(oneByOne).toEqual(outcomes);
    const made = await tasksAndEffects(h.db, batched.productIds, cast.branches);
    expect(made.map((t) => `${t.product} ${t.signal} ${t.evidence.length}`)).toEqual([
      '1 severe_complaint 2',
      '2 complaint_spike 1',
    ]);
    expect(made).toEqual(await tasksAndEffects(h.db, single.productIds, cast.branches));
  });

  it('routes each batch by the rules and role holders in force when it runs, never a stale snapshot', async () => {
    const [before, afterRule, afterNewcomer] = await products(3, 'Routing');
    const assigneesOf = async (productId: string) => {
      const [task] = await tasksAndEffects(h.db, [productId], cast.branches);
      return task!.assignees;
    };
    const [first] = await post([
      { productId: before!, branchId: cast.branches[3]!, externalId: nextExternalId('R') },
    ]);
    await evaluateComplaints(ctx, { complaintIds: [first!] });
    expect(await assigneesOf(before!)).toContain(cast.compliance.id);

    // The compliance officer no longer gets severe complaints.
    const put = await call(h.app, 'PUT', '/api/rules', {
      token: cast.admin.token,
      body: {
        signals: {
          severe_complaint: {
            routes: [
              { role: 'department_manager', scope: 'department' },
              { role: 'director', scope: 'any' },
            ],
          },
        },
      },
    });
    expect(put.status).toBe(200);
    const [second] = await post([
      { productId: afterRule!, branchId: cast.branches[3]!, externalId: nextExternalId('R') },
    ]);
    await evaluateComplaints(ctx, { complaintIds: [second!] });
    const routed = await assigneesOf(afterRule!);
    expect(routed).not.toContain(cast.compliance.id);
    expect(routed).toEqual(expect.arrayContaining([cast.manager.id, cast.director.id]));

    // A second director, named after the snapshot was loaded, is routed to at once.
    const newcomer = await makePerson(h.db, [{ role: 'director' }], 'New director');
    const [third] = await post([
      { productId: afterNewcomer!, branchId: cast.branches[3]!, externalId: nextExternalId('R') },
    ]);
    await evaluateComplaints(ctx, { complaintIds: [third!] });
    expect(await assigneesOf(afterNewcomer!)).toContain(newcomer.id);
  });

  it('stores a complaint sent twice at the same time once: one 201, two 200s, one pending evaluation', async () => {
    const [productId] = await products(1, 'Sent twice');
    const body = complaintBody({
      productId: productId!,
      branchId: cast.branches[4]!,
      externalId: 'TWICE-AT-ONCE',
    });
    const answers = await Promise.all(
      [1, 2, 3].map(() => call(h.app, 'POST', '/api/ingest/complaints', { token: cast.admin.token, body })),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 201]);
    expect(new Set(answers.map((a) => (a.body as { id: string }).id)).size).toBe(1);
    const id = (answers[0]!.body as { id: string }).id;
    const stored = await h.db
      .selectFrom('complaints')
      .select(['customerPhoneMasked', 'text', 'evaluatedAt'])
      .where('externalId', '=', 'TWICE-AT-ONCE')
      .execute();
    expect(stored).toEqual([
      {
        customerPhoneMasked: '138****5678',
        text: 'Swelling after the session; call back on 138****5678.',
        evaluatedAt: null,
      },
    ]);
    const outcomes = await evaluateComplaints(ctx, { complaintIds: [id] });
    expect(outcomes).toEqual([{ severe_complaint: 'opened', complaint_spike: 'quiet' }]);
  });

  it('queues one evaluation run for a burst; the run evaluates every complaint as one at a time does, and a second delivery of it changes nothing', async () => {
    // Whatever the tests before left pending is evaluated first: the burst starts with no mark.
    await evaluatePendingComplaints(ctx, { batchMax: 50 });
    expect(await h.db.selectFrom('complaintEvaluationMarks').selectAll().execute()).toEqual([]);
    const runsQueued = () =>
      h.db.selectFrom('outbox').select('payload').where('jobName', '=', 'evaluate-complaints').execute();
    const queuedBefore = (await runsQueued()).length;

    const run = await products(6, 'Run');
    const single = await products(6, 'Run one by one');
    // 60 complaints at once (the API stores them in several transactions), and a second severe
    // complaint for six of the pairs, arriving later the same day.
    const burst = [
      ...everyPair(run, 'RUN'),
      ...run.map((productId) => ({
        productId,
        branchId: cast.branches[0]!,
        occurredAt: '2026-10-28T09:00:00Z',
        externalId: nextExternalId('RUN-AGAIN'),
      })),
    ];
    const runIds = await post(burst);
    const queued = await runsQueued();
    expect(queued.length - queuedBefore).toBe(1);
    expect(queued.at(-1)).toEqual({ payload: {} });

    // Three lanes of ten: pairs are spread over lanes and batches, a pair's complaints in order.
    expect(await evaluatePendingComplaints(ctx, { batchMax: 10, lanes: 3 })).toEqual({ evaluated: 66 });
    expect(await h.db.selectFrom('complaintEvaluationMarks').selectAll().execute()).toEqual([]);
    const pending = await h.db
      .selectFrom('complaints')
      .select('id')
      .where('id', 'in', runIds)
      .where('evaluatedAt', 'is', null)
      .execute();
    expect(pending).toEqual([]);

    const singleIds = await post(
      burst.map((spec) => ({
        ...spec,
        productId: single[run.indexOf(spec.productId)]!,
        externalId: nextExternalId('RUN-SINGLE'),
      })),
    );
    for (const complaintId of singleIds) await evaluateComplaint(ctx, { complaintId });
    const made = await tasksAndEffects(h.db, run, cast.branches);
    expect(made).toHaveLength(60);
    expect(made.filter((t) => t.branch === 0).map((t) => t.evidence)).toEqual(
      run.map(() => ['2026-10-28', '2026-10-28']),
    );
    expect(made).toEqual(await tasksAndEffects(h.db, single, cast.branches));

    // BullMQ delivers at least once: the run again finds nothing to do.
    await evaluatePendingComplaints(ctx, { batchMax: 10 });
    expect(await evaluatePendingComplaints(ctx, { batchMax: 10 })).toEqual({ evaluated: 0 });
    expect(await tasksAndEffects(h.db, run, cast.branches)).toEqual(made);
  });

  it('does not end a run while a transaction storing a complaint holds the mark, and evaluates that complaint', async () => {
    await evaluatePendingComplaints(ctx, { batchMax: 50 });
    const [productId] = await products(1, 'Held');
    // The mark is there already (a run is owed): the storing transaction holds it with its share lock.
    // (A transaction that creates the mark queues a run of its own; a run that misses its complaint
    // meanwhile is not the last.)
    expect(await markComplaintsPending(h.db, h.clock.now())).toBe(true);
    let commit!: () => void;
    const committing = new Promise<void>((resolve) => (commit = resolve));
    let stored!: () => void;
    const storedYet = new Promise<void>((resolve) => (stored = resolve));
    // What the API's transaction does: the complaint, then the mark, held until the commit.
    const storing = h.db.transaction().execute(async (tx) => {
      await tx
        .insertInto('complaints')
        .values({
          externalId: nextExternalId('HELD'),
          productId: productId!,
          branchId: cast.branches[5]!,
          occurredAt: new Date('2026-10-28T03:00:00Z'),
          occurredOn: '2026-10-28',
          category: 'adverse_reaction',
          severity: 'high',
          text: 'Swelling',
          customerPhoneMasked: null,
        })
        .execute();
      const created = await markComplaintsPending(tx, h.clock.now());
      stored();
      await committing;
      return created;
    });
    await storedYet;
    // The run finds nothing it can see yet, and the mark held: it may not end before the commit.
    const run = evaluatePendingComplaints(ctx, { batchMax: 10 });
    commit();
    expect(await storing).toBe(false);
    expect(await run).toEqual({ evaluated: 1 });
    expect(await tasksAndEffects(h.db, [productId!], cast.branches)).toHaveLength(1);
    expect(await h.db.selectFrom('complaintEvaluationMarks').selectAll().execute()).toEqual([]);
  });
});

describe('a burst of severe complaints through the API and the worker', () => {
  let s: StackHarness;
  let cast: Cast;

  beforeAll(async () => {
    s = await startStack({ COMPLAINT_BATCH_MAX: '50' });
    cast = await makeCast(s.db, 10);
  });

  afterAll(async () => {
    await s?.close();
  });

  it('opens one task per (product, branch) for 200 complaints sent at once, and queues no phone number', async () => {
    const productIds: string[] = [];
    for (let i = 0; i < 20; i++)
      productIds.push(
        await makeLiveProduct(s.db, {
          departmentId: cast.department,
          ownerId: cast.owner.id,
          name: `Burst ${i}`,
        }),
      );
    const answers = await Promise.all(
      cast.branches.flatMap((branchId) =>
        productIds.map((productId) =>
          call(s.app, 'POST', '/api/ingest/complaints', {
            token: cast.admin.token,
            body: complaintBody({ productId, branchId, externalId: nextExternalId('BURST') }),
          }),
        ),
      ),
    );
    expect(answers.every((a) => a.status === 201)).toBe(true);
    const tasks = await eventually(
      '200 severe complaint tasks',
      async () => {
        const rows = await s.db
          .selectFrom('tasks')
          .select(['productId', 'branchId'])
          .where('signal', '=', 'severe_complaint')
          .where('productId', 'in', productIds)
          .execute();
        return rows.length >= 200 && rows;
      },
      30_000,
    );
    expect(tasks).toHaveLength(200);
    expect(new Set(tasks.map((t) => `${t.productId} ${t.branchId}`)).size).toBe(200);
    // Nothing a queue carries holds the customer's number, masked or not.
    const payloads = await s.db.selectFrom('outbox').select('payload').execute();
    expect(payloads.length).toBeGreaterThan(200);
    for (const { payload } of payloads)
      expect(JSON.stringify(payload)).not.toMatch(/13812345678|138\*{4}5678/);
    // A run evaluates every complaint pending when it runs: a few runs, not a job per complaint.
    const jobs = await s.worker.queues.byName.complaints.getJobs(['completed', 'waiting', 'active']);
    expect(jobs.length).toBeGreaterThan(0);
    expect(jobs.length).toBeLessThan(50);
    for (const job of jobs) expect(job.data).toEqual({});
  });
});

describe('complaints whose evaluation run Redis lost', () => {
  let h: ApiHarness;
  let cast: Cast;
  const workers: RunningWorker[] = [];

  beforeAll(async () => {
    h = await startApi({ RELAY_INTERVAL_MS: '20', COMPLAINT_BATCH_MAX: '25' });
    cast = await makeCast(h.db, 5);
  });

  afterAll(async () => {
    for (const worker of workers) await worker.close();
    await h?.close();
  });

  const start = async (queues?: readonly QueueName[]) => {
    const worker = await startWorker({
      config: h.config,
      db: h.db,
      logger: createLogger({ name: 'worker', level: 'silent' }),
      now: h.clock.now,
      ...(queues ? { queues } : {}),
    });
    workers.push(worker);
    return worker;
  };

  it('evaluates every complaint of the lost run once the reconciler puts it back', async () => {
    // A worker that relays the outbox but works no queue: the run reaches Redis and waits there.
    const relayOnly = await start([]);
    const productIds: string[] = [];
    for (let i = 0; i < 12; i++)
      productIds.push(
        await makeLiveProduct(h.db, {
          departmentId: cast.department,
          ownerId: cast.owner.id,
          name: `Lost ${i}`,
        }),
      );
    const answers = await Promise.all(
      cast.branches.flatMap((branchId) =>
        productIds.map((productId) =>
          call(h.app, 'POST', '/api/ingest/complaints', {
            token: cast.admin.token,
            body: complaintBody({ productId, branchId, externalId: nextExternalId('LOST') }),
          }),
        ),
      ),
    );
    expect(answers.every((a) => a.status === 201)).toBe(true);
    await eventually('the run to reach Redis', async () => {
      await relayOnly.relayNow();
      return (
        (await h.db.selectFrom('outbox').select('id').where('sentAt', 'is', null).execute()).length === 0
      );
    });
    expect(await relayOnly.queues.byName.complaints.getJobCounts('waiting')).toEqual({ waiting: 1 });
    await relayOnly.close();
    workers.splice(0);

    // FLUSHALL: the run is gone; Postgres still has the complaints pending and the mark.
    const keys = await h.redis.keys(`${h.queuePrefix}:*`);
    if (keys.length > 0) await h.redis.del(...keys);

    const worker = await start();
    const outcome = await reconcileQueues(worker.ctx, worker.queues, { graceMs: 0 });
    expect(outcome.outbox + outcome.evaluations).toBeGreaterThan(0);
    const tasks = await eventually('60 severe complaint tasks', async () => {
      const rows = await h.db
        .selectFrom('tasks')
        .select(['productId', 'branchId'])
        .where('signal', '=', 'severe_complaint')
        .where('productId', 'in', productIds)
        .execute();
      return rows.length >= 60 && rows;
    });
    expect(new Set(tasks.map((t) => `${t.productId} ${t.branchId}`)).size).toBe(60);
    await eventually(
      'the mark to be cleared',
      async () => (await h.db.selectFrom('complaintEvaluationMarks').selectAll().execute()).length === 0,
    );
    const pending = await h.db
      .selectFrom('complaints')
      .select('id')
      .where('evaluatedAt', 'is', null)
      .execute();
    expect(pending).toEqual([]);
    // Nothing is owed any more (a run delivered twice would find nothing to do).
    await eventually('the runs to finish', async () => {
      const counts = await worker.queues.byName.complaints.getJobCounts('waiting', 'active');
      return (counts.waiting ?? 0) + (counts.active ?? 0) === 0;
    });
    expect((await reconcileQueues(worker.ctx, worker.queues, { graceMs: 0 })).evaluations).toBe(0);
  });
});
