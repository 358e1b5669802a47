import { describe, expect, it } from 'vitest';
import { detectLaunchItemOverdue } from './launch-item-overdue.detector.js';

describe('detectLaunchItemOverdue', () => {
  it('fires the day after an open item was due', () => {
    expect(
      detectLaunchItemOverdue({ dueOn: '2026-11-14', asOf: '2026-11-16', status: 'pending' }),
    ).toMatchObject({
      status: 'fired',
      evidence: { daysOverdue: 2, summary: 'item due 2026-11-14 is 2 day(s) overdue' },
    });
  });

  it('does not fire on the due date itself', () => {
    expect(
      detectLaunchItemOverdue({ dueOn: '2026-11-14', asOf: '2026-11-14', status: 'pending' }).status,
    ).toBe('clear');
  });

  it('is clear once the item is done, however late', () => {
    expect(detectLaunchItemOverdue({ dueOn: '2026-10-01', asOf: '2026-11-14', status: 'done' }).status).toBe(
      'clear',
    );
  });
});
