import { describe, expect, it } from 'vitest';
import { launchProgress, type ProgressItem } from './launch.progress.js';

const item = (
  id: string,
  branchId: string,
  ownerRole: string,
  status: ProgressItem['status'],
  dueOn = '2026-03-07',
  required = true,
): ProgressItem => ({
  id,
  branchId,
  ownerRole,
  title: `item ${id}`,
  required,
  status,
  dueOn,
});

describe('launchProgress', () => {
  const items = [
    item('a', 'b1', 'product_manager', 'done'),
    item('b', 'b1', 'product_manager', 'pending', '2026-03-12'),
    item('c', 'b1', 'compliance_officer', 'pending', '2026-03-01'),
    item('d', 'b2', 'product_manager', 'done'),
    item('e', 'b2', 'compliance_officer', 'pending', '2026-03-20', false),
    item('f', 'b3', 'compliance_officer', 'cancelled'),
  ];
  const progress = launchProgress(items, '2026-03-10');

  it('counts done of total per branch, per role within it and per role, cancelled items aside', () => {
    expect(progress).toMatchObject({ done: 2, total: 5, percentDone: 40 });
    expect(progress.byBranch).toEqual([
      {
        branchId: 'b1',
        done: 1,
        total: 3,
        percentDone: 33,
        byRole: [
          { ownerRole: 'product_manager', done: 1, total: 2, percentDone: 50 },
          { ownerRole: 'compliance_officer', done: 0, total: 1, percentDone: 0 },
        ],
      },
      {
        branchId: 'b2',
        done: 1,
        total: 2,
        percentDone: 50,
        byRole: [
          { ownerRole: 'product_manager', done: 1, total: 1, percentDone: 100 },
          { ownerRole: 'compliance_officer', done: 0, total: 1, percentDone: 0 },
        ],
      },
    ]);
    expect(progress.byRole).toEqual([
      { ownerRole: 'product_manager', done: 2, total: 3, percentDone: 66 },
      { ownerRole: 'compliance_officer', done: 0, total: 2, percentDone: 0 },
    ]);
  });

  it('lists the required open items as blockers, overdue first', () => {
    expect(progress.blockers).toEqual([
      {
        itemId: 'c',
        branchId: 'b1',
        ownerRole: 'compliance_officer',
        title: 'item c',
        dueOn: '2026-03-01',
        overdue: true,
      },
      {
        itemId: 'b',
        branchId: 'b1',
        ownerRole: 'product_manager',
        title: 'item b',
        dueOn: '2026-03-12',
        overdue: false,
      },
    ]);
  });

  it('is 0 % of nothing', () => {
    expect(launchProgress([], '2026-03-10')).toEqual({
      done: 0,
      total: 0,
      percentDone: 0,
      byBranch: [],
      byRole: [],
      blockers: [],
    });
  });
});
