import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '@tower/domain';
import { jobIdFor } from '@tower/queue';
import { call, makeDepartment, makePerson, type TestPerson } from '../support/api.js';
import { makeCast } from '../support/cast.js';
import {
  eventually,
  makeLiveProduct,
  settle,
  startReceiver,
  startStack,
  type StackHarness,
} from '../support/stack.js';
import {
  createIngestKey,
  DIP_FIRE_DAYS,
  ingestSales,
  SALES_START,
  salesRows,
  steadyThenDip,
  tasksOf,
  type SalesRow,
} from '../support/fixtures.js';

let s: StackHarness;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let admin: TestPerson;
let owner: TestPerson;
let marketing: TestPerson;
let director: TestPerson;
let injection: string;
let branchA: string;
let ingestKey: string;

/** Sales through this file's ingest key. */
const ingest = (rows: SalesRow[]) => ingestSales(s.app, ingestKey, rows);

/** One day of sales at branch A, `day` days after SALES_START. */
const dayOfSales = (productId: string, day: number, units: number) =>
  salesRows(productId, branchA, addDays(SALES_START, day), 1, () => units);

async function product(name: string): Promise<string> {
  return makeLiveProduct(s.db, { departmentId: injection, ownerId: owner.id, name });
}

function receivedAbout(name: string) {
  return receiver.received.filter((r) => JSON.stringify(r.body).includes(name));
}

/** One competitor 1/3 cheaper than the list price: a competitor_undercut task for the owner and marketing. */
async function undercut(productId: string) {
  const response = await call(s.app, 'POST', '/api/ingest/competitor-prices', {
    token: ingestKey,
    body: { rows: [{ productId, competitor: 'Yestar', priceFen: 200_000, observedAt: '2026-10-30' }] },
  });
  expect(response.status).toBe(202);
}

beforeAll(async () => {
  s = await startStack();
  receiver = await startReceiver();
  const cast = await makeCast(s.db, {
    departments: ['injection'],
    branches: ['sh-a'],
    channelsAt: receiver.url,
    people: () => ({
      admin: { name: 'Admin', roles: [{ role: 'admin' }] },
      owner: { name: 'Owner', roles: [{ role: 'product_manager' }], channels: ['wecom'] },
      marketing: { name: 'Marketing', roles: [{ role: 'marketing_manager' }], channels: ['dingtalk'] },
      director: { name: 'Director', roles: [{ role: 'director' }], channels: ['feishu'] },
    }),
  });
  injection = cast.departments.injection;
  branchA = cast.branches['sh-a'];
  ({ admin, owner, marketing, director } = cast.people);
  ingestKey = await createIngestKey(s.app, admin);
});

afterAll(async () => {
  await s?.close();
  await receiver?.close();
});

describe('silences', () => {
  it('records a silenced sales_dip but opens no task and notifies nobody while the silence lasts', async () => {
    const productId = await product('Silenced until noon');
    const until = new Date(s.clock.now().getTime() + 4 * 3600_000).toISOString();
    const silence = await call(s.app, 'POST', '/api/silences', {
      token: owner.token,
      body: { productId, signal: 'sales_dip', until, reason: 'Clinic closed for renovation' },
    });
    expect(silence.status).toBe(201);

    await ingest(steadyThenDip(productId, branchA));
    await settle(s);

    const signals = await s.db
      .selectFrom('signals')
      .selectAll()
      .where('productId', '=', productId)
      .orderBy('firedOn')
      .execute();
    expect(signals.map((r) => [r.signal, r.firedOn, r.silenced, r.taskId])).toEqual([
      ['sales_dip', DIP_FIRE_DAYS[0], true, null],
      ['sales_dip', DIP_FIRE_DAYS[1], true, null],
    ]);
    expect(await tasksOf(s.db, productId)).toEqual([]);
    expect(receivedAbout('Silenced until noon')).toEqual([]);
  });

  it('opens the task and notifies its people once the silence has run out', async () => {
    const [productId] = (
      await s.db.selectFrom('products').select('id').where('name', '=', 'Silenced until noon').execute()
    ).map((r) => r.id);
    s.clock.set(new Date(s.clock.now().getTime() + 5 * 3600_000));
    const active = await call(s.app, 'GET', '/api/silences?active=true', { token: owner.token });
    expect(active.body.items.map((i: { productId: string }) => i.productId)).not.toContain(productId);

    await ingest(dayOfSales(productId!, 63, 6));
    await settle(s);

    const tasks = await tasksOf(s.db, productId!);
    expect(tasks.map((t) => t.signal)).toEqual(['sales_dip']);
    const evidence = await s.db
      .selectFrom('taskEvidence')
      .select('firedOn')
      .where('taskId', '=', tasks[0]!.id)
      .execute();
    expect(evidence.map((e) => e.firedOn)).toEqual([addDays(SALES_START, 63)]);
    await eventually('the owner and the marketing manager to hear of it', async () =>
      [`/wecom/${owner.id}`, `/dingtalk/${marketing.id}`].every((path) =>
        receivedAbout('Silenced until noon').some((r) => r.path === path),
      ),
    );
  });

  it('lifts a silence on DELETE: the next dip opens a task', async () => {
    const productId = await product('Silenced then lifted');
    const until = new Date(s.clock.now().getTime() + 7 * 86_400_000).toISOString();
    const silence = await call(s.app, 'POST', '/api/silences', {
      token: marketing.token,
      body: {
        productId,
        signal: 'sales_dip',
        branchId: branchA,
        until,
        reason: 'Campaign moved to next month',
      },
    });
    expect(silence.status).toBe(201);
    await ingest(steadyThenDip(productId, branchA));
    await settle(s);
    expect(await tasksOf(s.db, productId)).toEqual([]);
    const listed = await call(s.app, 'GET', '/api/silences?active=true', { token: owner.token });
    // A department manager of another department does not see silences on this department's products.
    const skin = (await makeDepartment(s.db)).id;
    const skinManager = await makePerson(s.db, [{ role: 'department_manager', departmentId: skin }]);
    const theirs = await call(s.app, 'GET', '/api/silences?active=true', { token: skinManager.token });
    expect(theirs.status).toBe(200);
    expect(theirs.body.items).toEqual([]);
    expect(listed.body.items.length).toBeGreaterThan(0);
    expect(listed.body.items.map((i: { id: string }) => i.id)).toContain(silence.body.id);

    const lifted = await call(s.app, 'DELETE', `/api/silences/${silence.body.id}`, {
      token: marketing.token,
    });
    expect(lifted.status).toBe(204);
    const after = await call(s.app, 'GET', '/api/silences', { token: owner.token });
    expect(after.body.items.map((i: { id: string }) => i.id)).not.toContain(silence.body.id);

    await ingest(dayOfSales(productId, 63, 6));
    await settle(s);
    const tasks = await tasksOf(s.db, productId);
    expect(tasks.map((t) => t.signal)).toEqual(['sales_dip']);
    expect(tasks[0]!.assignees).toEqual([owner.id, marketing.id]);
  });
});

describe('acknowledging a task', () => {
  beforeAll(async () => {
    const rules = await call(s.app, 'PUT', '/api/rules', {
      token: admin.token,
      body: { signals: { sales_dip: { ackSlaSeconds: 2 } } },
    });
    expect(rules.status).toBe(200);
  });

  afterAll(async () => {
    await call(s.app, 'PUT', '/api/rules', {
      token: admin.token,
      body: { signals: { sales_dip: { ackSlaSeconds: 48 * 3600 } } },
    });
  });

  it('stops the escalation ladder: an acknowledged task stays at level 0 after its 2-second SLA, an ignored one escalates', async () => {
    const acked = await product('Acknowledged in time');
    const ignored = await product('Left unacknowledged');
    await ingest([...steadyThenDip(acked, branchA), ...steadyThenDip(ignored, branchA)]);

    const ackedTask = await eventually(
      'the task to acknowledge to open',
      async () => (await tasksOf(s.db, acked))[0],
    );
    const acknowledged = await call(s.app, 'POST', `/api/tasks/${ackedTask.id}/acknowledge`, {
      token: marketing.token,
    });
    expect(acknowledged.status).toBe(200);
    expect(acknowledged.body.status).toBe('acknowledged');
    // The task's machine refuses a second ACKNOWLEDGE and the answer names what it accepts now.
    const again = await call(s.app, 'POST', `/api/tasks/${ackedTask.id}/acknowledge`, {
      token: marketing.token,
    });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ error: 'task_event_not_allowed', status: 'acknowledged' });
    expect(again.body.allowed).toEqual(['ADD_EVIDENCE', 'RESOLVE', 'AUTO_RESOLVE']);
    const ignoredTask = await eventually(
      'the task to ignore to open',
      async () => (await tasksOf(s.db, ignored))[0],
    );

    // Waiting out the SLA is the point: the escalation check is a job delayed by the SLA.
    const escalationChecks = await eventually(
      'both escalation checks to run after the SLA',
      async () => {
        const fetch = () =>
          Promise.all(
            [ackedTask, ignoredTask].map((t) =>
              s.worker.queues.byName.tasks.getJob(jobIdFor('escalate-task', t.id, 1)),
            ),
          );
        const jobs = await fetch();
        const states = await Promise.all(jobs.map(async (j) => (j ? j.getState() : undefined)));
        // A job read before it completed carries no return value yet: read them again once all are done.
        return states.every((state) => state === 'completed') ? fetch() : undefined;
      },
      15_000,
    );
    expect(escalationChecks.map((j) => j!.returnvalue)).toEqual(['skipped', 'escalated']);
    await settle(s);

    const [ackedAfter] = await tasksOf(s.db, acked);
    expect(ackedAfter!.escalationLevel).toBe(0);
    expect(ackedAfter!.status).toBe('acknowledged');
    expect(ackedAfter!.acknowledgedBy).toBe(marketing.id);
    expect(ackedAfter!.assignees).not.toContain(director.id);
    const [ignoredAfter] = await tasksOf(s.db, ignored);
    expect(ignoredAfter!.escalationLevel).toBe(1);
    expect(ignoredAfter!.assignees).toContain(director.id);

    const toDirector = receiver.received
      .filter((r) => r.path === `/feishu/${director.id}`)
      .map((r) => JSON.stringify(r.body));
    expect(toDirector.some((b) => b.includes('Left unacknowledged'))).toBe(true);
    expect(toDirector.some((b) => b.includes('Acknowledged in time'))).toBe(false);
  });
});

describe('resolving with a decision', () => {
  let productId: string;
  let taskId: string;

  beforeAll(async () => {
    productId = await product('Retiring laser package');
    await undercut(productId);
    await settle(s);
    taskId = (await tasksOf(s.db, productId, 'competitor_undercut'))[0]!.id;
    const retired = await call(s.app, 'POST', `/api/products/${productId}/events`, {
      token: owner.token,
      body: { type: 'RETIRE', reason: 'vendor exit' },
    });
    expect(retired.status).toBe(200);
    expect(retired.body.stage).toBe('retirement');
  });

  it('answers 409 to a reprice decision on a product in retirement and keeps the task open', async () => {
    const refused = await call(s.app, 'POST', `/api/tasks/${taskId}/resolve`, {
      token: owner.token,
      body: { decision: 'reprice', note: 'match Yestar' },
    });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toBe('event_not_allowed');
    expect(refused.body.allowed).not.toContain('REPRICE');

    const task = await call(s.app, 'GET', `/api/tasks/${taskId}`, { token: owner.token });
    expect(task.body).toMatchObject({ status: 'open', decision: null, resolvedAt: null });
    const productNow = await call(s.app, 'GET', `/api/products/${productId}`, { token: owner.token });
    expect(productNow.body.stage).toBe('retirement');
  });

  it('answers 409 to a retire decision on a product that is no longer in monitoring and keeps the task open', async () => {
    const refused = await call(s.app, 'POST', `/api/tasks/${taskId}/resolve`, {
      token: owner.token,
      body: { decision: 'retire', note: 'retire it again' },
    });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toBe('event_not_allowed');
    const [row] = await tasksOf(s.db, productId, 'competitor_undercut');
    expect(row!.status).toBe('open');
    const history = await call(s.app, 'GET', `/api/products/${productId}/history`, { token: owner.token });
    expect(history.body.items.filter((h: { event: string }) => h.event === 'RETIRE')).toHaveLength(1);
  });

  it('stores comments and feedback and shows them, with the evidence and notifications, on GET /api/tasks/:id', async () => {
    const comment = await call(s.app, 'POST', `/api/tasks/${taskId}/comments`, {
      token: marketing.token,
      body: { text: 'Yestar sells a 3-session card; per session it is not cheaper.' },
    });
    expect(comment.status).toBe(201);
    expect(comment.body).toMatchObject({ authorId: marketing.id });
    const feedback = await call(s.app, 'POST', `/api/tasks/${taskId}/feedback`, {
      token: owner.token,
      body: { useful: false },
    });
    expect(feedback.status).toBe(200);
    expect(feedback.body).toEqual({ id: taskId, feedbackUseful: false });

    const task = await call(s.app, 'GET', `/api/tasks/${taskId}`, { token: owner.token });
    expect(task.status).toBe(200);
    expect(task.body.comments).toEqual([
      expect.objectContaining({
        id: comment.body.id,
        authorId: marketing.id,
        text: 'Yestar sells a 3-session card; per session it is not cheaper.',
      }),
    ]);
    expect(task.body.feedbackUseful).toBe(false);
    expect(task.body.evidence).toHaveLength(1);
    expect(
      task.body.notifications.map((n: { personId: string; reason: string }) => [n.personId, n.reason]).sort(),
    ).toEqual(
      [
        [owner.id, 'opened'],
        [marketing.id, 'opened'],
      ].sort(),
    );
  });

  it('resolves the task with a decision that leaves the life cycle alone', async () => {
    const resolved = await call(s.app, 'POST', `/api/tasks/${taskId}/resolve`, {
      token: owner.token,
      body: { decision: 'keep', note: 'the product is being retired anyway' },
    });
    expect(resolved.status).toBe(200);
    expect(resolved.body).toMatchObject({ status: 'resolved', decision: 'keep', resolvedBy: owner.id });
  });
});

describe('GET /api/tasks?mine=true', () => {
  it('pages through exactly the tasks of the caller, two at a time', async () => {
    const products = await Promise.all([1, 2, 3, 4, 5].map((n) => product(`Paged product ${n}`)));
    for (const p of products) await undercut(p);
    // A task for the owner alone, which must not appear in the marketing manager's pages.
    const ownerOnly = await product('Paged product owner only');
    expect(
      (
        await call(s.app, 'POST', '/api/ingest/cost-changes', {
          token: ingestKey,
          body: { productId: ownerOnly, consumablesFen: 300_000, effectiveOn: '2026-11-01' },
        })
      ).status,
    ).toBe(202);
    await settle(s);

    const expected = await s.db
      .selectFrom('tasks')
      .select('id')
      .where((eb) =>
        eb.or([
          eb(eb.val(marketing.id), '=', eb.fn.any('assignees')),
          eb(eb.val(marketing.id), '=', eb.fn.any('informed')),
        ]),
      )
      .execute();
    expect(expected.length).toBeGreaterThanOrEqual(5);
    const ownerOnlyTask = (await tasksOf(s.db, ownerOnly))[0]!;
    expect(ownerOnlyTask.assignees).toEqual([owner.id]);

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const url: string = `/api/tasks?mine=true&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = await call(s.app, 'GET', url, { token: marketing.token });
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((t: { id: string }) => t.id));
      cursor = page.body.nextCursor;
      pages += 1;
      expect(pages).toBeLessThan(50);
    } while (cursor);

    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort()).toEqual(expected.map((r) => r.id).sort());
    expect(seen).not.toContain(ownerOnlyTask.id);
    expect(pages).toBeGreaterThanOrEqual(Math.ceil(expected.length / 2));
  });
});

describe('auto-resolve', () => {
  beforeAll(async () => {
    const rules = await call(s.app, 'PUT', '/api/rules', {
      token: admin.token,
      body: { autoResolveDays: 3 },
    });
    expect(rules.status).toBe(200);
  });

  it('resolves a sales_dip task on its own once sales have been back to normal for 3 days, saying so in the note', async () => {
    const productId = await product('Recovers after a dip');
    await ingest(steadyThenDip(productId, branchA));
    await settle(s);
    const [task] = await tasksOf(s.db, productId, 'sales_dip');
    expect(task!.status).toBe('open');

    // Daily feeds back at 10 a day: the window still holds the dip for three more days (it fires again;
    // 28, 35, 42 of 70), clears on the fourth (49, within noise), and has been clear for 3 days since it
    // last fired on the third.
    const statusAfter: Record<string, string> = {};
    for (let day = 63; day <= 68; day++) {
      await ingest(dayOfSales(productId, day, 10));
      await settle(s);
      const row = await s.db
        .selectFrom('tasks')
        .select(['status', 'lastFiredOn'])
        .where('id', '=', task!.id)
        .executeTakeFirstOrThrow();
      statusAfter[addDays(SALES_START, day)] = row.status;
    }
    expect(statusAfter).toEqual({
      [addDays(SALES_START, 63)]: 'open',
      [addDays(SALES_START, 64)]: 'open',
      [addDays(SALES_START, 65)]: 'open',
      [addDays(SALES_START, 66)]: 'open',
      [addDays(SALES_START, 67)]: 'open',
      [addDays(SALES_START, 68)]: 'resolved',
    });

    const resolved = await call(s.app, 'GET', `/api/tasks/${task!.id}`, { token: owner.token });
    expect(resolved.body).toMatchObject({
      status: 'resolved',
      decision: 'keep',
      resolvedBy: null,
      lastFiredOn: addDays(SALES_START, 65),
    });
    expect(resolved.body.resolutionNote).toMatch(/auto-resolved/i);
    expect(await tasksOf(s.db, productId, 'sales_dip')).toHaveLength(1);
  });
});
