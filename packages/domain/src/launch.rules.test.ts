import { describe, expect, it } from 'vitest';
import { launchIssues, retirementIssues } from './launch.rules.js';

describe('launchIssues', () => {
  it('passes when no required item is open', () => {
    expect(launchIssues({ openItems: [] })).toEqual([]);
  });

  it('reports one CHECKLIST_ITEM_OPEN per open item', () => {
    const reasons = launchIssues({
      openItems: [
        { title: 'Consumables stocked', branchId: 'b1', ownerRole: 'department_manager' },
        { title: 'Ad copy reviewed', branchId: 'b2', ownerRole: 'compliance_officer' },
      ],
    });
    expect(reasons).toEqual([
      expect.objectContaining({ code: 'CHECKLIST_ITEM_OPEN', title: 'Consumables stocked', branchId: 'b1' }),
      expect.objectContaining({
        code: 'CHECKLIST_ITEM_OPEN',
        title: 'Ad copy reviewed',
        ownerRole: 'compliance_officer',
      }),
    ]);
  });
});

describe('retirementIssues', () => {
  it('passes when no prepaid session remains', () => {
    expect(retirementIssues({ outstandingPrepaidSessions: 0, endOn: null, today: '2026-03-01' })).toEqual([]);
  });

  it('passes on and after the end date even with sessions outstanding', () => {
    expect(
      retirementIssues({ outstandingPrepaidSessions: 4, endOn: '2026-03-01', today: '2026-03-01' }),
    ).toEqual([]);
    expect(
      retirementIssues({ outstandingPrepaidSessions: 4, endOn: '2026-03-01', today: '2026-04-10' }),
    ).toEqual([]);
  });

  it('refuses while sessions remain before the end date or without one', () => {
    expect(
      retirementIssues({ outstandingPrepaidSessions: 4, endOn: '2026-03-01', today: '2026-02-28' }),
    ).toEqual([
      expect.objectContaining({ code: 'PREPAID_SESSIONS_OUTSTANDING', outstanding: 4, endOn: '2026-03-01' }),
    ]);
    expect(retirementIssues({ outstandingPrepaidSessions: 1, endOn: null, today: '2030-01-01' })).toEqual([
      expect.objectContaining({ code: 'PREPAID_SESSIONS_OUTSTANDING', outstanding: 1, endOn: null }),
    ]);
  });
});
