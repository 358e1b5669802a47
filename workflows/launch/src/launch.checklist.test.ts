import { describe, expect, it } from 'vitest';
import { AppError, DEFAULT_LAUNCH_TEMPLATE, type LaunchTemplateItem } from '@tower/domain';
import { buildChecklist, replanChecklist, type PlannedItem } from './launch.checklist.js';

const template: LaunchTemplateItem[] = [
  {
    ownerRole: 'product_manager',
    title: 'Prices loaded in the cashier system',
    titleZh: '价格已录入收银系统',
    daysBefore: 3,
    required: true,
  },
  { ownerRole: 'department_manager', title: 'Consumables stocked', daysBefore: 14, required: true },
  {
    ownerRole: 'marketing_manager',
    title: 'Launch campaign planned',
    description: 'Meituan and SoYoung',
    daysBefore: 0,
    required: false,
  },
];

describe('buildChecklist', () => {
  it('makes one item per template item per branch, department manager items scoped to the department', () => {
    const items = buildChecklist({
      template,
      branchIds: ['b1', 'b2'],
      departmentId: 'skin',
      targetLaunchDate: '2026-03-10',
    });
    expect(items).toEqual([
      {
        branchId: 'b1',
        departmentId: null,
        ownerRole: 'product_manager',
        title: 'Prices loaded in the cashier system',
        titleZh: '价格已录入收银系统',
        description: null,
        required: true,
        daysBefore: 3,
        dueOn: '2026-03-07',
      },
      {
        branchId: 'b1',
        departmentId: 'skin',
        ownerRole: 'department_manager',
        title: 'Consumables stocked',
        titleZh: null,
        description: null,
        required: true,
        daysBefore: 14,
        dueOn: '2026-02-24',
      },
      {
        branchId: 'b1',
        departmentId: null,
        ownerRole: 'marketing_manager',
        title: 'Launch campaign planned',
        titleZh: null,
        description: 'Meituan and SoYoung',
        required: false,
        daysBefore: 0,
        dueOn: '2026-03-10',
      },
      expect.objectContaining({ branchId: 'b2', ownerRole: 'product_manager', dueOn: '2026-03-07' }),
      expect.objectContaining({ branchId: 'b2', departmentId: 'skin', dueOn: '2026-02-24' }),
      expect.objectContaining({ branchId: 'b2', ownerRole: 'marketing_manager' }),
    ]);
  });

  it('builds the 13 default items for each launching branch, once per branch', () => {
    const items = buildChecklist({
      template: DEFAULT_LAUNCH_TEMPLATE,
      branchIds: ['b1', 'b2', 'b1'],
      departmentId: 'skin',
      targetLaunchDate: '2026-05-01',
    });
    expect(items).toHaveLength(26);
    expect(items.filter((item) => item.departmentId === 'skin')).toHaveLength(8);
    expect(items.every((item) => item.dueOn < '2026-05-01')).toBe(true);
  });

  it('makes nothing without launching branches', () => {
    expect(
      buildChecklist({ template, branchIds: [], departmentId: 'skin', targetLaunchDate: '2026-03-10' }),
    ).toEqual([]);
  });

  it('refuses a target launch date that is not a date', () => {
    expect(() =>
      buildChecklist({ template, branchIds: ['b1'], departmentId: 'skin', targetLaunchDate: '2026-02-30' }),
    ).toThrow(AppError);
  });
});

describe('replanChecklist', () => {
  const made = buildChecklist({
    template,
    branchIds: ['b1', 'b2'],
    departmentId: 'skin',
    targetLaunchDate: '2026-03-10',
  });
  const items: PlannedItem[] = made.map((item, i) => ({
    ...item,
    id: `i${i}`,
    // b1's price item is done; b2's price item is done too.
    status: item.ownerRole === 'product_manager' ? 'done' : 'pending',
  }));

  it('cancels the open items of a dropped branch and keeps its done ones', () => {
    const changes = replanChecklist({
      template,
      items,
      branchIds: ['b1'],
      departmentId: 'skin',
      targetLaunchDate: '2026-03-10',
    });
    expect(changes).toEqual({ create: [], cancel: [{ id: 'i4' }, { id: 'i5' }], redate: [] });
  });

  it('makes the items of a new branch from the same template', () => {
    const changes = replanChecklist({
      template,
      items,
      branchIds: ['b1', 'b2', 'b3'],
      departmentId: 'skin',
      targetLaunchDate: '2026-03-10',
    });
    expect(changes.create.map((d) => [d.branchId, d.title, d.dueOn])).toEqual([
      ['b3', 'Prices loaded in the cashier system', '2026-03-07'],
      ['b3', 'Consumables stocked', '2026-02-24'],
      ['b3', 'Launch campaign planned', '2026-03-10'],
    ]);
    expect(changes.cancel).toEqual([]);
  });

  it('moves every due date of the launching branches with a new target date, done ones included', () => {
    const changes = replanChecklist({
      template,
      items,
      branchIds: ['b1', 'b2'],
      departmentId: 'skin',
      targetLaunchDate: '2026-03-20',
    });
    expect(changes.redate).toEqual(
      items.map((item) => ({ id: item.id, dueOn: expect.any(String) as string })),
    );
    expect(changes.redate.find((c) => c.id === 'i0')?.dueOn).toBe('2026-03-17');
  });

  it('gives a branch added back fresh items for what was cancelled, not for what was done', () => {
    const afterDrop = items.map((item) =>
      item.branchId === 'b2' && item.status === 'pending' ? { ...item, status: 'cancelled' as const } : item,
    );
    const changes = replanChecklist({
      template,
      items: afterDrop,
      branchIds: ['b1', 'b2'],
      departmentId: 'skin',
      targetLaunchDate: '2026-03-10',
    });
    expect(changes.create.map((d) => [d.branchId, d.title])).toEqual([
      ['b2', 'Consumables stocked'],
      ['b2', 'Launch campaign planned'],
    ]);
  });
});
