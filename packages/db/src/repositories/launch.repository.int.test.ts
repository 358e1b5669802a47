import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, isLaunchItemOverdue, LAUNCH_ITEM_STATUSES } from '@tower/domain';
import { createTestDatabase, type TestDatabase } from '../testing/index.js';
import {
  countOverdueLaunchItems,
  insertBranch,
  insertDepartment,
  insertLaunchItems,
  insertPerson,
  insertProduct,
  listLaunchItems,
  listLaunchItemsFiltered,
  listOverdueLaunchItems,
  updateLaunchItem,
} from './index.js';

let testDb: TestDatabase;
let productId: string;
let branchId: string;
const TODAY = '2026-03-10';

beforeAll(async () => {
  testDb = await createTestDatabase();
  const db = testDb.db;
  const department = await insertDepartment(db, { code: 'skin', name: 'Skin' });
  branchId = (await insertBranch(db, { code: 'SH01', name: 'Jing’an' })).id;
  const ownerId = await insertPerson(db, {
    at: new Date(),
    name: 'Owner',
    email: 'owner@tower.test',
    passwordHash: 'none',
    roles: [{ role: 'product_manager', departmentId: null, branchId: null }],
    channels: [],
  });
  productId = (
    await insertProduct(db, {
      at: new Date(),
      name: 'Picosecond laser',
      departmentId: department.id,
      tier: 'profit',
      ownerId,
      vendor: null,
      stage: 'launch',
      snapshot: { value: 'launch', context: { productId: null } },
    })
  ).id;
  // Every status with due dates from three days before to two days after TODAY.
  const drafts = LAUNCH_ITEM_STATUSES.flatMap((status) =>
    [-3, -1, 0, 1, 2].map((offset) => ({ status, dueOn: addDays(TODAY, offset) })),
  );
  const ids = await insertLaunchItems(
    db,
    drafts.map((d, i) => ({
      productId,
      branchId,
      ownerRole: 'compliance_officer',
      departmentId: null,
      title: `item ${i}`,
      dueOn: d.dueOn,
      required: true,
    })),
  );
  for (const [i, id] of ids.entries()) {
    if (drafts[i]!.status !== 'pending') await updateLaunchItem(db, id, { status: drafts[i]!.status });
  }
});

afterAll(async () => {
  await testDb.drop();
});

describe('the SQL of overdue', () => {
  it.each([-4, -1, 0, 1, 2, 3])(
    'selects what isLaunchItemOverdue holds overdue, judged %i day(s) from TODAY',
    async (offset) => {
      const today = addDays(TODAY, offset);
      const all = await listLaunchItems(testDb.db, productId);
      const byPredicate = all
        .filter((item) => isLaunchItemOverdue({ status: item.status, dueOn: item.dueOn }, today))
        .map((item) => item.id)
        .sort();
      const bySweep = (await listOverdueLaunchItems(testDb.db, today)).map((item) => item.id).sort();
      const byList = (await listLaunchItemsFiltered(testDb.db, { overdueOn: today, limit: 100 }))
        .map((i) => i.id)
        .sort();
      expect(bySweep).toEqual(byPredicate);
      expect(byList).toEqual(byPredicate);
      expect(
        await countOverdueLaunchItems(testDb.db, {
          productId,
          branchId,
          ownerRole: 'compliance_officer',
          asOf: today,
        }),
      ).toBe(byPredicate.length);
    },
  );

  it('holds only pending items overdue, due strictly before the day', async () => {
    const overdue = await listOverdueLaunchItems(testDb.db, TODAY);
    expect(overdue.map((i) => [i.status, i.dueOn]).sort()).toEqual([
      ['pending', addDays(TODAY, -3)],
      ['pending', addDays(TODAY, -1)],
    ]);
  });
});
