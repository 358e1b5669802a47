import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { randomUUID } from 'node:crypto';
import {
  claimSalesEvaluation,
  clearSalesEvaluationMarks,
  holdSalesWriteLocks,
  listSalesEvaluationMarks,
  takeSalesEvaluationMark,
  upsertCalendarDays,
  upsertSalesTarget,
  type Db,
} from '@tower/db';
import { addDays } from '@tower/domain';
import {
  createEngineContext,
  evaluateCostChange,
  evaluateSales,
  ingestCostChange,
  ingestSales,
  relayOutbox,
  SYSTEM_ACTOR,
  type EngineContext,
} from '@tower/engine';
import { QueueSet } from '@tower/queue';
import { call, makeBranch, makeDepartment, makePerson, startApi, type ApiHarness } from '../support/api.js';
import { createIngestKey } from '../support/fixtures.js';
import { makeLiveProduct } from '../support/stack.js';

// No worker runs here: evaluations are called directly, and what the relay queues stays to be counted.
let h: ApiHarness;
let ctx: EngineContext;
let departmentId: string;
let ownerId: string;
let branchId: string;

const START = '2025-01-01';
const DAYS = 365;
const day = (n: number) => addDays(START, n);
const HOLIDAY = { from: 91, to: 97 }; // units fall by 60 % in a holiday week: must not fire
const PROMOTION = { from: 182, to: 188 }; // units more than double: must not make the next weeks a dip
const DIP = { from: 140, to: 149 }; // −50 %: sales_dip fires, then auto-resolves after the recovery
const EROSION = { from: 240, to: 262 }; // sold at 120,000 fen a unit, under the 150,000 floor
const TARGET_MONTH = '2025-10'; // a target of 600 units against ~310 sold: target_miss

/** A year of daily sales for one pair, with the planted dip, erosion, holiday and promotion weeks. */
function yearOfSales(productId: string) {
  return Array.from({ length: DAYS }, (_, n) => {
    const within = (r: { from: number; to: number }) => n >= r.from && n <= r.to;
    const units = within(HOLIDAY) ? 4 : within(PROMOTION) ? 25 : within(DIP) ? 5 : 10;
    const priceFen = within(EROSION) ? 120_000 : 300_000;
    return { productId, branchId, date: day(n), units, revenueFen: units * priceFen, orders: units };
  });
}

/** The product's evaluations in the outbox not yet handed to the queue. */
const evaluationsOwed = (productId: string) =>
  h.db
    .selectFrom('outbox')
    .select('payload')
    .where('jobName', '=', 'evaluate-sales')
    .where('sentAt', 'is', null)
    .where(sql<boolean>`payload->>'productId' = ${productId}`)
    .execute();

/** Returns once a session runs a statement like `queryPattern` and waits for a lock. */
async function waitForLockWaitOn(queryPattern: string, failure: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from pg_stat_activity
      where datname = current_database() and wait_event_type = 'Lock' and query ilike ${queryPattern}`.execute(
      h.db,
    );
    if (rows[0]!.n > 0) return;
    if (Date.now() > deadline) throw new Error(failure);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function product(name: string): Promise<string> {
  // Unit cost 100,000 fen, profit tier: the floor is 150,000 fen.
  const id = await makeLiveProduct(h.db, { departmentId, ownerId, name });
  await upsertSalesTarget(
    h.db,
    {
      productId: id,
      branchId,
      month: `${TARGET_MONTH}-01`,
      units: 600,
      revenueFen: null,
    },
    new Date(),
  );
  return id;
}

/** Everything the evaluation wrote for a product, comparable across products. */
async function outcomeOf(db: Db, productId: string) {
  const tasks = await db
    .selectFrom('tasks')
    .select(['id', 'signal', 'status', 'lastFiredOn', 'resolvedAsOf', 'decision', 'resolutionNote'])
    .where('productId', '=', productId)
    .orderBy('signal')
    .orderBy('lastFiredOn')
    .execute();
  const evidence = await db
    .selectFrom('taskEvidence')
    .select(['taskId', 'firedOn', 'data'])
    .where(
      'taskId',
      'in',
      tasks.map((t) => t.id),
    )
    .orderBy('firedOn')
    .execute();
  const signals = await db
    .selectFrom('signals')
    .select(['signal', 'firedOn', 'silenced'])
    .where('productId', '=', productId)
    .orderBy('signal')
    .orderBy('firedOn')
    .execute();
  const notifications = await db
    .selectFrom('notifications')
    .select('id')
    .where(
      'taskId',
      'in',
      tasks.map((t) => t.id),
    )
    .execute();
  return {
    tasks: tasks.map(({ id, ...t }) => ({
      ...t,
      evidence: evidence.filter((e) => e.taskId === id).map((e) => ({ firedOn: e.firedOn, data: e.data })),
    })),
    signals,
    notifications: notifications.length,
  };
}

beforeAll(async () => {
  h = await startApi({ MAX_INGEST_ROWS: '20000' });
  ctx = createEngineContext(h.db, h.clock.now);
  departmentId = (await makeDepartment(h.db, 'skin')).id;
  branchId = (await makeBranch(h.db, 'sh-1')).id;
  ownerId = (await makePerson(h.db, [{ role: 'product_manager' }])).id;
  await makePerson(h.db, [{ role: 'marketing_manager' }]);
  await makePerson(h.db, [{ role: 'director' }]);
  await upsertCalendarDays(h.db, [
    ...Array.from({ length: HOLIDAY.to - HOLIDAY.from + 1 }, (_, i) => ({
      date: day(HOLIDAY.from + i),
      kind: 'holiday' as const,
      name: 'Labour Day week',
    })),
    ...Array.from({ length: PROMOTION.to - PROMOTION.from + 1 }, (_, i) => ({
      date: day(PROMOTION.from + i),
      kind: 'promotion' as const,
      name: '618',
    })),
  ]);
});

afterAll(async () => {
  await h?.close();
});

describe('a year of sales evaluated per (product, branch) in one pass', () => {
  let perPair: Awaited<ReturnType<typeof outcomeOf>>;
  let pairProduct: string;

  it('opens exactly the tasks, with the same evidence days, that day-by-day evaluation opens', async () => {
    pairProduct = await product('Per pair');
    const dayByDay = await product('Day by day');
    await ingestSales(ctx, SYSTEM_ACTOR, { rows: yearOfSales(pairProduct) });
    await ingestSales(ctx, SYSTEM_ACTOR, { rows: yearOfSales(dayByDay) });

    // One pass from the watermark (the year's first day) to its last day.
    await evaluateSales(ctx, { productId: pairProduct, branchId });
    expect(await takeSalesEvaluationMark(h.db, { productId: pairProduct, branchId })).toBeUndefined();
    // The reference: every data date on its own, oldest first.
    await takeSalesEvaluationMark(h.db, { productId: dayByDay, branchId });
    for (let n = 0; n < DAYS; n++) await evaluateSales(ctx, { productId: dayByDay, branchId, date: day(n) });

    perPair = await outcomeOf(h.db, pairProduct);
    const reference = await outcomeOf(h.db, dayByDay);
    expect(perPair).toEqual(reference);

    // What was planted is what opened: nothing in the holiday week or after the promotion.
    const bySignal = (signal: string) => perPair.tasks.filter((t) => t.signal === signal);
    expect(perPair.tasks.map((t) => t.signal).sort()).toEqual(['margin_erosion', 'sales_dip', 'target_miss']);
    const [dip] = bySignal('sales_dip');
    expect(dip!.status).toBe('resolved');
    expect(dip!.evidence.every((e) => e.firedOn >= day(DIP.from) && e.firedOn <= day(DIP.to + 6))).toBe(true);
    const [erosion] = bySignal('margin_erosion');
    expect(erosion!.evidence[0]!.firedOn >= day(EROSION.from)).toBe(true);
    const [miss] = bySignal('target_miss');
    expect(miss!.evidence.every((e) => e.firedOn.startsWith(TARGET_MONTH))).toBe(true);
    const quietDays = perPair.signals.filter(
      (s) =>
        s.signal === 'sales_dip' &&
        ((s.firedOn >= day(HOLIDAY.from) && s.firedOn <= day(HOLIDAY.to + 7)) ||
          (s.firedOn >= day(PROMOTION.from) && s.firedOn <= day(PROMOTION.to + 35))),
    );
    expect(quietDays).toEqual([]);
    // 365 one-day evaluations for the reference: give a loaded machine time.
  }, 180_000);

  it('opens and adds nothing when the same backfill is sent and evaluated again', async () => {
    await ingestSales(ctx, SYSTEM_ACTOR, { rows: yearOfSales(pairProduct) });
    await evaluateSales(ctx, { productId: pairProduct, branchId });
    expect(await outcomeOf(h.db, pairProduct)).toEqual(perPair);
  });

  it('keeps one task per key when an earlier half-year arrives after the later one', async () => {
    const late = await product('Later half first');
    const rows = yearOfSales(late);
    await ingestSales(ctx, SYSTEM_ACTOR, { rows: rows.slice(DAYS / 2) });
    await evaluateSales(ctx, { productId: late, branchId });
    await ingestSales(ctx, SYSTEM_ACTOR, { rows: rows.slice(0, DAYS / 2) });
    await evaluateSales(ctx, { productId: late, branchId });
    const outcome = await outcomeOf(h.db, late);
    expect(outcome.tasks.map((t) => t.signal).sort()).toEqual(['margin_erosion', 'sales_dip', 'target_miss']);
    expect(
      outcome.tasks.map(({ evidence, ...t }) => ({ ...t, days: evidence.map((e) => e.firedOn) })),
    ).toEqual(perPair.tasks.map(({ evidence, ...t }) => ({ ...t, days: evidence.map((e) => e.firedOn) })));
  });
});

describe('a cost change, before or after the sales it applies to', () => {
  const RISE_ON = day(300);
  /** A year at 300,000 fen a unit, above the 150,000 floor of the 100,000 unit cost, flat. */
  const flatYear = (productId: string) =>
    Array.from({ length: DAYS }, (_, n) => ({
      productId,
      branchId,
      date: day(n),
      units: 10,
      revenueFen: 3_000_000,
      orders: 10,
    }));
  // Consumables 50,000 → 170,000: unit cost 220,000, floor 330,000 from RISE_ON on, over 300,000 realised.
  const rise = (productId: string) =>
    ingestCostChange(ctx, SYSTEM_ACTOR, { productId, consumablesFen: 170_000, effectiveOn: RISE_ON });
  const settle = async (productId: string) => {
    await evaluateSales(ctx, { productId });
    await evaluateCostChange(ctx, { productId });
  };

  it('judges each day against the cost in force that day, and ends in the same tasks whichever came first', async () => {
    const salesFirst = await product('Sales, then the cost rise');
    await ingestSales(ctx, SYSTEM_ACTOR, { rows: flatYear(salesFirst) });
    await settle(salesFirst);
    expect((await outcomeOf(h.db, salesFirst)).tasks.map((t) => t.signal)).toEqual(['target_miss']);
    await rise(salesFirst);
    await settle(salesFirst);

    const costFirst = await product('The cost rise, then sales');
    await rise(costFirst);
    await ingestSales(ctx, SYSTEM_ACTOR, { rows: flatYear(costFirst) });
    await settle(costFirst);

    const outcome = await outcomeOf(h.db, costFirst);
    expect(await outcomeOf(h.db, salesFirst)).toEqual(outcome);
    const erosion = outcome.tasks.filter((t) => t.signal === 'margin_erosion');
    // One at the branch, from the realised price, and one for the product, from its list price.
    expect(erosion).toHaveLength(2);
    // The old cost held before the rise: not one day before it is under the floor.
    const days = erosion.flatMap((t) => t.evidence.map((e) => e.firedOn));
    expect(days.length).toBeGreaterThan(0);
    expect(days.every((d) => d >= RISE_ON)).toBe(true);
  });
});

describe('routing from a snapshot of rules and role holders', () => {
  it('routes to someone who took the role after the snapshot was first loaded', async () => {
    const first = await product('Routed before');
    await ingestSales(ctx, SYSTEM_ACTOR, { rows: yearOfSales(first) });
    await evaluateSales(ctx, { productId: first, branchId });
    const newcomer = await makePerson(h.db, [{ role: 'marketing_manager' }]);
    const second = await product('Routed after');
    await ingestSales(ctx, SYSTEM_ACTOR, { rows: yearOfSales(second) });
    await evaluateSales(ctx, { productId: second, branchId });
    const assignees = async (productId: string) =>
      (
        await h.db
          .selectFrom('tasks')
          .select('assignees')
          .where('productId', '=', productId)
          .where('signal', '=', 'sales_dip')
          .executeTakeFirstOrThrow()
      ).assignees;
    expect(await assignees(first)).not.toContain(newcomer.id);
    expect(await assignees(second)).toContain(newcomer.id);
  });
});

describe("a product's evaluation across its branches", () => {
  it('judges every branch with a watermark from its own, in one run, as their pairs alone would', async () => {
    const secondBranch = (await makeBranch(h.db, 'sh-2')).id;
    const perProduct = await product('Both branches at once');
    const perPairProduct = await product('Each branch alone');
    for (const productId of [perProduct, perPairProduct]) {
      const rows = yearOfSales(productId);
      // The second branch has only the later half-year.
      await ingestSales(ctx, SYSTEM_ACTOR, {
        rows: [...rows, ...rows.slice(DAYS / 2).map((r) => ({ ...r, branchId: secondBranch }))],
      });
    }
    expect(await evaluateSales(ctx, { productId: perProduct })).not.toEqual({});
    for (const b of [branchId, secondBranch]) {
      expect(await takeSalesEvaluationMark(h.db, { productId: perProduct, branchId: b })).toBeUndefined();
      await evaluateSales(ctx, { productId: perPairProduct, branchId: b });
    }
    const byBranch = async (productId: string) =>
      (
        await h.db
          .selectFrom('tasks')
          .select(['branchId', 'signal', 'status', 'lastFiredOn'])
          .where('productId', '=', productId)
          .orderBy('signal')
          .orderBy('branchId')
          .orderBy('lastFiredOn')
          .execute()
      ).map((t) => ({
        ...t,
        branchId: t.branchId === null ? null : t.branchId === branchId ? 'first' : 'second',
      }));
    const both = await byBranch(perProduct);
    expect(both).toEqual(await byBranch(perPairProduct));
    expect(both.some((t) => t.branchId === 'second')).toBe(true);
  });

  it('queues its next run when an ingestion touched a watermark while it ran (ingestion queues none then)', async () => {
    const productId = await product('Touched meanwhile');
    await ingestSales(ctx, SYSTEM_ACTOR, { rows: yearOfSales(productId).slice(0, 100) });
    const pending = () => evaluationsOwed(productId);
    expect(await pending()).toHaveLength(1);
    await h.db
      .updateTable('outbox')
      .set({ sentAt: new Date() })
      .where('jobName', '=', 'evaluate-sales')
      .execute();
    // A second batch while the first is owed: the watermark exists, so nothing more is queued.
    await ingestSales(ctx, SYSTEM_ACTOR, { rows: yearOfSales(productId).slice(100, 120) });
    expect(await pending()).toHaveLength(0);
    // An evaluation reads the watermark while a third batch has counted its touch of the product and
    // not yet committed: the clear waits for that batch, finds the count moved, and queues the next run.
    await h.db.connection().execute(async (conn) => {
      await sql`begin`.execute(conn);
      await conn
        .updateTable('salesEvaluationTouches')
        .set((eb) => ({ touched: eb('touched', '+', 1) }))
        .where('productId', '=', productId)
        .execute();
      const evaluation = evaluateSales(ctx, { productId });
      // The clear's first lines (pg_stat_activity keeps only the first 1 kB of a statement).
      await waitForLockWaitOn('%as untouched%', 'the evaluation never reached its clear');
      await sql`commit`.execute(conn);
      await evaluation;
    });
    expect(await pending()).toHaveLength(1);
    expect(
      await h.db
        .selectFrom('salesEvaluationMarks')
        .select('fromDate')
        .where('productId', '=', productId)
        .execute(),
    ).toHaveLength(1);
    // The next run clears it.
    await evaluateSales(ctx, { productId });
    expect(
      await h.db
        .selectFrom('salesEvaluationMarks')
        .select('fromDate')
        .where('productId', '=', productId)
        .execute(),
    ).toEqual([]);
  });

  it('moves the watermark up to the earliest day a batch wrote while it ran, when it holds the claim', async () => {
    const marksOf = async (productId: string) =>
      (
        await h.db
          .selectFrom('salesEvaluationMarks')
          .select('fromDate')
          .where('productId', '=', productId)
          .execute()
      ).map((m) => m.fromDate);
    /** A run's start and end around a batch of `touch` days: what evaluateSales does around its judging. */
    const settleAround = async (
      productId: string,
      touch: [number, number],
      options: { keepFrom?: string; claimedBy?: 'this run' | 'another run' } = {},
    ) => {
      const token = randomUUID();
      if (options.claimedBy !== undefined) await claimSalesEvaluation(h.db, productId, token);
      const read = await listSalesEvaluationMarks(h.db, productId);
      if (options.claimedBy === 'another run') await claimSalesEvaluation(h.db, productId, randomUUID());
      await ingestSales(ctx, SYSTEM_ACTOR, { rows: yearOfSales(productId).slice(...touch) });
      return clearSalesEvaluationMarks(
        h.db,
        productId,
        { touched: read.touched, claim: token },
        read.marks.map((m) => ({
          ...m,
          ...(options.keepFrom ? { keepFrom: options.keepFrom } : {}),
        })),
      );
    };
    const fresh = async (name: string) => {
      const productId = await product(name);
      await ingestSales(ctx, SYSTEM_ACTOR, { rows: yearOfSales(productId).slice(0, 100) });
      return productId;
    };

    // Days 0–99 judged; a batch of days 120–139 came in meanwhile: the next run starts from day 120.
    const later = await fresh('Touched later, claimed');
    expect(await settleAround(later, [120, 140], { claimedBy: 'this run' })).toEqual(new Set());
    expect(await marksOf(later)).toEqual([day(120)]);
    // Judged only up to day 50 (a batch from there was under way): it starts there.
    const kept = await fresh('Touched later, judged to day 50');
    await settleAround(kept, [120, 140], { claimedBy: 'this run', keepFrom: day(50) });
    expect(await marksOf(kept)).toEqual([day(50)]);
    // A batch that rewrote days the run had judged: from its first day.
    const rewritten = await fresh('Judged days rewritten');
    await settleAround(rewritten, [30, 40], { claimedBy: 'this run' });
    expect(await marksOf(rewritten)).toEqual([day(30)]);
    // Without the claim (never taken, or taken by another run since), nothing says how far back the
    // batch wrote: the watermark stays where it was read.
    const unclaimed = await fresh('Touched, unclaimed');
    await settleAround(unclaimed, [120, 140]);
    expect(await marksOf(unclaimed)).toEqual([day(0)]);
    const lost = await fresh('Touched, claim lost');
    await settleAround(lost, [120, 140], { claimedBy: 'another run' });
    expect(await marksOf(lost)).toEqual([day(0)]);

    // Through evaluateSales: the run ends by moving the mark, and queues the next, which clears it.
    await evaluateSales(ctx, { productId: later });
    expect(await marksOf(later)).toEqual([]);
  });

  it('writes the watermark again when a batch waited for an evaluation clearing it, and queues its run', async () => {
    const productId = await product('Cleared meanwhile');
    await ingestSales(ctx, SYSTEM_ACTOR, { rows: yearOfSales(productId).slice(0, 100) });
    const marks = () =>
      h.db.selectFrom('salesEvaluationMarks').select('fromDate').where('productId', '=', productId).execute();
    expect(await marks()).toEqual([{ fromDate: day(0) }]);
    await h.db
      .updateTable('outbox')
      .set({ sentAt: new Date() })
      .where('jobName', '=', 'evaluate-sales')
      .execute();
    // An evaluation's clear holds the product's count and has deleted the watermark, not yet committed,
    // when a batch of later days arrives: the batch waits for it and then finds no watermark, so it
    // writes one from its own first day and queues an evaluation (its days were not judged).
    await h.db.connection().execute(async (conn) => {
      await sql`begin`.execute(conn);
      await sql`select from sales_evaluation_touches where product_id = ${productId} for update`.execute(
        conn,
      );
      await conn.deleteFrom('salesEvaluationMarks').where('productId', '=', productId).execute();
      const batch = ingestSales(ctx, SYSTEM_ACTOR, { rows: yearOfSales(productId).slice(100, 120) });
      await waitForLockWaitOn('%sales_evaluation_touches%', 'the batch never waited for the clear');
      await sql`commit`.execute(conn);
      await batch;
    });
    expect(await marks()).toEqual([{ fromDate: day(100) }]);
    expect(await evaluationsOwed(productId)).toHaveLength(1);
  });
});

describe('an evaluation while a batch of earlier days is still being written', () => {
  /** A flat series at 10 units a day: a gap of three days in it would read as a dip. */
  const flat = (productId: string, from: number, to: number) =>
    Array.from({ length: to - from }, (_, i) => ({
      productId,
      branchId,
      date: day(from + i),
      units: 10,
      revenueFen: 3_000_000,
      orders: 10,
    }));
  const markOf = (productId: string) =>
    h.db
      .selectFrom('salesEvaluationMarks')
      .select('fromDate')
      .where('productId', '=', productId)
      .executeTakeFirst();

  it('judges only the days before it and leaves the rest, with its next run, for when the batch is in', async () => {
    const productId = await product('A batch under way');
    await ingestSales(ctx, SYSTEM_ACTOR, { rows: flat(productId, 0, 200) });
    await evaluateSales(ctx, { productId });
    expect(await markOf(productId)).toBeUndefined();

    // A batch of days 200–202 has begun (its write locks are held) and has not committed, while a
    // batch of the days after it commits: those days read, for now, as if 200–202 sold nothing.
    await h.db.connection().execute(async (conn) => {
      await sql`begin`.execute(conn);
      await holdSalesWriteLocks(conn, flat(productId, 200, 203));
      await ingestSales(ctx, SYSTEM_ACTOR, { rows: flat(productId, 203, 260) });
      await evaluateSales(ctx, { productId });
      await sql`rollback`.execute(conn);
    });
    const signals = await h.db
      .selectFrom('signals')
      .select('firedOn')
      .where('productId', '=', productId)
      .execute();
    expect(signals).toEqual([]);
    // Nothing from day 200 on was judged: the watermark stays, and the next run is queued, a moment later.
    expect(await markOf(productId)).toMatchObject({ fromDate: day(203) });
    const next = await h.db
      .selectFrom('outbox')
      .select(['runAt'])
      .where('jobName', '=', 'evaluate-sales')
      .where('sentAt', 'is', null)
      .where('runAt', 'is not', null)
      .where(sql<boolean>`payload->>'productId' = ${productId}`)
      .execute();
    expect(next).toHaveLength(1);
    expect(next[0]!.runAt!.getTime()).toBeGreaterThan(h.clock.now().getTime());

    // The batch lands; the next run judges the whole stretch and clears the watermark: no dip.
    await ingestSales(ctx, SYSTEM_ACTOR, { rows: flat(productId, 200, 203) });
    expect(await markOf(productId)).toMatchObject({ fromDate: day(200) });
    await evaluateSales(ctx, { productId });
    expect(await markOf(productId)).toBeUndefined();
    expect(
      await h.db.selectFrom('tasks').select('signal').where('productId', '=', productId).execute(),
    ).toEqual([]);
    expect(
      await h.db.selectFrom('signals').select('firedOn').where('productId', '=', productId).execute(),
    ).toEqual([]);
  });
});

describe('bounded Redis', () => {
  it('leaves one evaluation waiting for 10,000 rows of one pair, whatever the days and requests', async () => {
    const queues = new QueueSet({ redisUrl: h.config.redisUrl, prefix: h.queuePrefix });
    try {
      const productId = await product('Ten thousand rows');
      const admin = await makePerson(h.db, [{ role: 'admin' }]);
      const key = await createIngestKey(h.app, admin);
      // 10,000 rows over 2,000 days and five channels, in four requests, newest first.
      const rows = Array.from({ length: 10_000 }, (_, i) => ({
        productId,
        branchId,
        date: addDays('2020-01-01', Math.floor(i / 5)),
        channel: `c${i % 5}`,
        units: 2,
        revenueFen: 600_000,
        orders: 2,
      })).reverse();
      for (let part = 0; part < 4; part++) {
        const response = await call(h.app, 'POST', '/api/ingest/sales', {
          token: key,
          body: { rows: rows.slice(part * 2500, (part + 1) * 2500) },
        });
        expect(response.body).toEqual({ accepted: 2500, evaluations: 1 });
      }
      const relayCtx = createEngineContext(h.db, h.clock.now);
      while ((await relayOutbox(relayCtx, queues)).sent > 0);
      const waiting = (await queues.byName.signals.getJobs(['waiting', 'prioritized', 'delayed'])).filter(
        (j) => j.name === 'evaluate-sales' && (j.data as { productId: string }).productId === productId,
      );
      expect(waiting.map((j) => j.data)).toEqual([{ productId }]);
      const mark = await h.db
        .selectFrom('salesEvaluationMarks')
        .select('fromDate')
        .where('productId', '=', productId)
        .executeTakeFirst();
      expect(mark?.fromDate).toBe('2020-01-01');
    } finally {
      await queues.close();
    }
  });
});
