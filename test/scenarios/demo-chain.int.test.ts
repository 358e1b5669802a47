// `pnpm demo`'s loader on a small cut of the demo chain (the three planted stories, four months of
// sales), through the public HTTP API of a real API and worker: each story opens its task.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AddressInfo } from 'node:net';
import { insertPerson } from '@tower/db';
import { generateDemoChain, loadDemo, type LoadResult } from '@tower/demo';
import { hashPassword } from '@tower/engine';
import { startStack, type StackHarness } from '../support/stack.js';
import type { Signal } from '@tower/domain';

let stack: StackHarness;
let result: LoadResult;
const chain = generateDemoChain({ seed: 20_261_201, end: '2026-10-31', days: 120 });
const planted = ['fading_sharp', 'complaint_cluster', 'undercut'] as const;

beforeAll(async () => {
  stack = await startStack({ LOGIN_RATE_LIMIT_PER_MINUTE: '100' });
  await insertPerson(stack.db, {
    at: new Date(),
    name: 'Demo admin',
    email: 'admin@demo.test',
    passwordHash: await hashPassword('demo-admin-password'),
    roles: [{ role: 'admin', departmentId: null, branchId: null }],
    channels: [],
  });
  await stack.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = stack.app.server.address() as AddressInfo;
  result = await loadDemo(chain, {
    baseUrl: `http://127.0.0.1:${port}`,
    adminEmail: 'admin@demo.test',
    adminPassword: 'demo-admin-password',
    only: (p) => planted.some((plant) => p.plants.includes(plant)),
    settleTimeoutMs: 120_000,
  });
}, 240_000);

afterAll(async () => {
  await stack?.close();
});

describe('the demo chain loaded through the public API', () => {
  it('opens the task of each planted story', async () => {
    const productOf = (plant: (typeof planted)[number]) =>
      result.ids.products[chain.products.find((p) => p.plants.includes(plant))!.key]!;
    const open = async (productId: string, signal: Signal) =>
      stack.db
        .selectFrom('tasks')
        .select(['id', 'branchId'])
        .where('productId', '=', productId)
        .where('signal', '=', signal)
        .where('status', 'in', ['open', 'acknowledged'])
        .execute();
    expect(await open(productOf('fading_sharp'), 'sales_dip')).not.toHaveLength(0);
    const cluster = chain.products.find((p) => p.plants.includes('complaint_cluster'))!;
    const spikes = await open(productOf('complaint_cluster'), 'complaint_spike');
    expect(spikes.map((t) => t.branchId)).toEqual([result.ids.branches[cluster.branches[0]!]]);
    expect(await open(productOf('undercut'), 'competitor_undercut')).toHaveLength(1);
  });

  it('ran the last two quarters’ reviews, one task per department each', async () => {
    expect(result.reviews.map((r) => r.quarter)).toEqual(['2026-Q2', '2026-Q3']);
    const tasks = await stack.db
      .selectFrom('tasks')
      .select(['reviewId'])
      .where('signal', '=', 'quarterly_review')
      .execute();
    expect(tasks).toHaveLength(2 * chain.departments.length);
  });
});
