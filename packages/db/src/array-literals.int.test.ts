import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { integerArray, textArray } from './array-literals.js';
import { createTestDatabase, type TestDatabase } from './testing/index.js';

let testDb: TestDatabase;

beforeAll(async () => {
  testDb = await createTestDatabase();
});

afterAll(async () => {
  await testDb.drop();
});

async function readBack(literal: string, type: 'text' | 'int8'): Promise<unknown[]> {
  const { rows } = await sql<{ v: unknown }>`select unnest(${literal}::${sql.raw(type)}[]) as v`.execute(
    testDb.db,
  );
  return rows.map((r) => r.v);
}

describe('array literals', () => {
  it('quotes every text element, so commas and braces stay inside it', async () => {
    const values = ['a', 'b,c', '{d}', '', 'NULL', ' spaced '];
    expect(textArray(values)).toBe('{"a","b,c","{d}","","NULL"," spaced "}');
    expect(await readBack(textArray(values), 'text')).toEqual(values);
    expect(await readBack(textArray([]), 'text')).toEqual([]);
  });

  it('escapes quotes and backslashes when an element holds one', async () => {
    const values = ['x', 'say "hi"', 'back\\slash', '\\"'];
    expect(await readBack(textArray(values), 'text')).toEqual(values);
  });

  it('joins integers and refuses anything else', async () => {
    const values = [1, -2, 30_000_000_000];
    expect(await readBack(integerArray(values), 'int8')).toEqual(values);
    expect(() => integerArray([1, 1.5])).toThrow(/1\.5/);
    expect(() => integerArray([Number.NaN])).toThrow(TypeError);
  });
});
