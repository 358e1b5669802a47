import { describe, expect, it } from 'vitest';
import { GroupCommit } from './group-commit.js';

/** A batch runner that records each batch and finishes when told to. */
function recorder(fail: (item: number) => boolean = () => false) {
  const batches: number[][] = [];
  const releases: (() => void)[] = [];
  const run = async (items: readonly number[]) => {
    batches.push([...items]);
    await new Promise<void>((resolve) => releases.push(resolve));
    if (items.some(fail)) throw new Error(`batch ${items.join(',')} failed`);
    return items.map((i) => i * 10);
  };
  const releaseAll = async () => {
    // Let every batch started so far, and those started by their ends, finish.
    for (let spins = 0; spins < 50; spins++) {
      releases.splice(0).forEach((release) => release());
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  return { batches, run, releaseAll };
}

describe('GroupCommit', () => {
  it('runs a lone item at once, and the items added while it runs together in the next batch', async () => {
    const r = recorder();
    const commit = new GroupCommit(r.run, 100);
    const first = commit.add(1);
    expect(r.batches).toEqual([[1]]);
    const rest = [2, 3, 4].map((i) => commit.add(i));
    expect(r.batches).toEqual([[1]]);
    await r.releaseAll();
    expect(await first).toBe(10);
    expect(await Promise.all(rest)).toEqual([20, 30, 40]);
    expect(r.batches).toEqual([[1], [2, 3, 4]]);
  });

  it('never puts more than maxBatch items in one batch', async () => {
    const r = recorder();
    const commit = new GroupCommit(r.run, 2);
    const all = [1, 2, 3, 4, 5].map((i) => commit.add(i));
    await r.releaseAll();
    expect(await Promise.all(all)).toEqual([10, 20, 30, 40, 50]);
    expect(r.batches).toEqual([[1], [2, 3], [4, 5]]);
  });

  it('runs up to `parallel` batches at once, the items added meanwhile gathering for the next', async () => {
    const r = recorder();
    const commit = new GroupCommit(r.run, 100, 2);
    const all = [commit.add(1), commit.add(2)];
    expect(r.batches).toEqual([[1], [2]]);
    all.push(...[3, 4, 5].map((i) => commit.add(i)));
    expect(r.batches).toEqual([[1], [2]]);
    await r.releaseAll();
    expect(await Promise.all(all)).toEqual([10, 20, 30, 40, 50]);
    expect(r.batches).toEqual([[1], [2], [3, 4, 5]]);
  });

  it('runs a failed batch again item by item: the bad item fails alone, the others succeed', async () => {
    const r = recorder((item) => item === 3);
    const commit = new GroupCommit(r.run, 100);
    const first = commit.add(1);
    const rest = [2, 3, 4].map((i) => commit.add(i).catch((error: Error) => error.message));
    await r.releaseAll();
    expect(await first).toBe(10);
    expect(await Promise.all(rest)).toEqual([20, 'batch 3 failed', 40]);
    expect(r.batches).toEqual([[1], [2, 3, 4], [2], [3], [4]]);
  });
});
