import { describe, expect, it } from 'vitest';
import { scheduledJobs } from './catalog.js';

describe('the job catalog', () => {
  it('holds the schedules as data: the daily stalled-stage sweep, the hourly overdue sweep, the monthly target sweep, the quarterly review', () => {
    expect(scheduledJobs()).toEqual([
      {
        name: 'sweep-stalled-stages',
        queue: 'signals',
        attempts: 3,
        schedule: { id: 'daily-stalled-stage-sweep', pattern: '0 0 6 * * *', tz: 'Asia/Shanghai' },
      },
      {
        name: 'sweep-overdue-launch-items',
        queue: 'signals',
        attempts: 3,
        schedule: { id: 'hourly-overdue-launch-item-sweep', pattern: '0 5 * * * *', tz: 'Asia/Shanghai' },
      },
      {
        name: 'sweep-month-targets',
        queue: 'signals',
        attempts: 3,
        schedule: { id: 'monthly-target-sweep', pattern: '0 30 6 3 * *', tz: 'Asia/Shanghai' },
      },
      {
        name: 'quarterly-review',
        queue: 'reviews',
        attempts: 5,
        schedule: {
          id: 'quarterly-product-tower-review',
          pattern: '0 0 9 1 1,4,7,10 *',
          tz: 'Asia/Shanghai',
        },
      },
    ]);
  });
});
