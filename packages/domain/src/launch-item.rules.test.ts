import { describe, expect, it } from 'vitest';
import { isLaunchItemOverdue } from './launch-item.rules.js';

describe('isLaunchItemOverdue', () => {
  it('is on time through the due date and overdue from the day after', () => {
    expect(isLaunchItemOverdue({ dueOn: '2026-03-07', status: 'pending' }, '2026-03-07')).toBe(false);
    expect(isLaunchItemOverdue({ dueOn: '2026-03-07', status: 'pending' }, '2026-03-08')).toBe(true);
    expect(isLaunchItemOverdue({ dueOn: '2025-12-31', status: 'pending' }, '2026-01-01')).toBe(true);
  });

  it('never holds a done or cancelled item overdue', () => {
    expect(isLaunchItemOverdue({ dueOn: '2026-03-07', status: 'done' }, '2026-04-01')).toBe(false);
    expect(isLaunchItemOverdue({ dueOn: '2026-03-07', status: 'cancelled' }, '2026-04-01')).toBe(false);
  });
});
