import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { isAppError } from '@tower/domain';
import { createTestDatabase, type TestDatabase } from './testing/index.js';
import { insertBranch } from './repositories/index.js';

let testDb: TestDatabase;
beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterAll(async () => {
  await testDb.drop();
});

async function failureOf(run: () => Promise<unknown>): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

const raise = (sqlState: string) =>
  sql`do $$ begin raise exception 'raised' using errcode = ${sql.lit(sqlState)}; end $$`;

describe('Postgres errors at the db boundary', () => {
  it('arrive as AppErrors: a unique violation is a conflict naming its constraint', async () => {
    await insertBranch(testDb.db, { code: 'DUP1', name: 'one' });
    const error = await failureOf(() => insertBranch(testDb.db, { code: 'DUP1', name: 'two' }));
    expect(isAppError(error) && [error.code, error.kind, error.status]).toEqual([
      'DB_DUPLICATE',
      'conflict',
      409,
    ]);
  });

  it.each([
    ['40001', 'DB_CONCURRENT_UPDATE', true],
    ['40P01', 'DB_CONCURRENT_UPDATE', true],
    ['57014', 'DB_TIMEOUT', true],
    ['23503', 'DB_REFERENCE_NOT_FOUND', false],
  ])(
    'SQLSTATE %s becomes %s (retryable: %s), inside a transaction too',
    async (sqlState, code, retryable) => {
      const plain = await failureOf(() => raise(sqlState).execute(testDb.db));
      const inTx = await failureOf(() =>
        testDb.db.transaction().execute((tx) => raise(sqlState).execute(tx)),
      );
      for (const error of [plain, inTx]) {
        expect(isAppError(error) && [error.code, error.retryable]).toEqual([code, retryable]);
      }
    },
  );

  it('passes other errors through unchanged', async () => {
    const error = await failureOf(() => raise('P0001').execute(testDb.db));
    expect(isAppError(error)).toBe(false);
    expect((error as { code?: string }).code).toBe('P0001');
  });
});
