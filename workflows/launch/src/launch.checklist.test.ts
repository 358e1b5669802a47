import { describe, expect, it } from 'vitest';
import { AppError, DEFAULT_LAUNCH_TEMPLATE, type LaunchTemplateItem } from '@tower/domain';
import { addDays, buildChecklist, isOverdue } from './launch.checklist.js';

const template: LaunchTemplateItem[] = [
  {
    ownerRole: 'product_manager',
    title: 'Prices loaded in the cashier system',
    daysBefore: 3,
    required: true,
  },
  { ownerRole: 'department_manager', title: 'Consumables stocked', daysBefore: 14, required: true },
  { ownerRole: 'marketing_manager', title: 'Launch campaign planned', daysBefore: 0, required: false },
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
        required: true,
        dueOn: '2026-03-07',
      },
      {
        branchId: 'b1',
        departmentId: 'skin',
        ownerRole: 'department_manager',
        title: 'Consumables stocked',
        required: true,
        dueOn: '2026-02-24',
      },
      {
        branchId: 'b1',
        departmentId: null,
        ownerRole: 'marketing_manager',
        title: 'Launch campaign planned',
        required: false,
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

describe('addDays', () => {
  it('counts back across month, year and leap-day boundaries', () => {
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(addDays('2026-01-03', -7)).toBe('2025-12-27');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
  });

  it('keeps whole days across a daylight-saving change', () => {
    // Europe and the US change clocks in late March; the arithmetic is on UTC dates.
    expect(addDays('2026-04-01', -14)).toBe('2026-03-18');
    expect(addDays('2026-11-05', -7)).toBe('2026-10-29');
  });

  it.each(['2026-3-1', '2026-13-01', '2026-02-29', '01/03/2026', ''])('refuses "%s"', (date) => {
    expect(() => addDays(date, 1)).toThrow(
      expect.objectContaining({ code: 'INVALID_DATE', kind: 'invalid_input' }) as AppError,
    );
  });
});

describe('isOverdue', () => {
  it('is on time through the due date and overdue the day after', () => {
    expect(isOverdue({ dueOn: '2026-03-07', status: 'pending' }, '2026-03-07')).toBe(false);
    expect(isOverdue({ dueOn: '2026-03-07', status: 'pending' }, '2026-03-08')).toBe(true);
    expect(isOverdue({ dueOn: '2026-03-07', status: 'overdue' }, '2026-04-01')).toBe(true);
  });

  it('never holds a done item overdue', () => {
    expect(isOverdue({ dueOn: '2026-03-07', status: 'done' }, '2026-04-01')).toBe(false);
  });
});
