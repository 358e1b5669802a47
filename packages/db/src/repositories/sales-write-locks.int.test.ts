import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db, Tx } from '../connection.js';
import { createTestDatabase, type TestDatabase } from '../testing/index.js';
import { holdSalesWriteLocks, salesWriteHorizon } from './index.js';

let testDb: TestDatabase;
let db: Db;

beforeAll(async () => {
  testDb = await createTestDatabase();
  db = testDb.db;
});

afterAll(async () => {
  await testDb.drop();
});

/** A transaction that holds the write locks of `rows` until `release` is called. */
function openWriter(rows: { productId: string; date: string }[]) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let holding!: () => void;
  const held = new Promise<void>((resolve) => (holding = resolve));
  const committed = db.transaction().execute(async (tx: Tx) => {
    await holdSalesWriteLocks(tx, rows);
    holding();
    await released;
  });
  return { held, release, committed };
}

const horizonOf = (productId: string) => db.transaction().execute((tx) => salesWriteHorizon(tx, productId));

describe('the horizon of the sales writes under way', () => {
  it('is the earliest day any batch under way writes of the product, and only of that product', async () => {
    const product = randomUUID();
    const other = randomUUID();
    expect(await horizonOf(product)).toBeUndefined();

    const later = openWriter([
      { productId: product, date: '2026-03-07' },
      { productId: product, date: '2026-03-05' },
      { productId: other, date: '2026-01-01' },
    ]);
    await later.held;
    expect(await horizonOf(product)).toBe('2026-03-05');
    const earlier = openWriter([{ productId: product, date: '2025-12-31' }]);
    await earlier.held;
    expect(await horizonOf(product)).toBe('2025-12-31');
    expect(await horizonOf(other)).toBe('2026-01-01');
    expect(await horizonOf(randomUUID())).toBeUndefined();

    earlier.release();
    await earlier.committed;
    expect(await horizonOf(product)).toBe('2026-03-05');
    later.release();
    await later.committed;
    expect(await horizonOf(product)).toBeUndefined();
    expect(await horizonOf(other)).toBeUndefined();
  });

  it('leaves out the transaction that asks (a writer does not hold back its own evaluation)', async () => {
    const product = randomUUID();
    const seen = await db.transaction().execute(async (tx) => {
      await holdSalesWriteLocks(tx, [{ productId: product, date: '2026-05-01' }]);
      return salesWriteHorizon(tx, product);
    });
    expect(seen).toBeUndefined();
  });

  it('never makes a writer wait, and leaves no lock behind', async () => {
    const product = randomUUID();
    const writers = Array.from({ length: 5 }, (_, i) =>
      openWriter([{ productId: product, date: `2026-04-0${i + 1}` }]),
    );
    await Promise.all(writers.map((w) => w.held));
    expect(await horizonOf(product)).toBe('2026-04-01');
    for (const writer of writers) writer.release();
    await Promise.all(writers.map((w) => w.committed));
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from pg_locks l join pg_database d on d.oid = l.database
      where l.locktype = 'advisory' and d.datname = current_database()`.execute(db);
    expect(rows[0]!.n).toBe(0);
  });
});
