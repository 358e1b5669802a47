import { describe, expect, it } from 'vitest';
import { initialTransition, transition } from 'xstate';
import {
  isLaunchItemStatus,
  launchItemMachine,
  launchItemSnapshot,
  nextLaunchItemStatus,
} from './launch-item.machine.js';

describe('launchItemMachine', () => {
  it('starts pending', () => {
    expect(initialTransition(launchItemMachine)[0].value).toBe('pending');
  });

  it('completes a pending item', () => {
    const [next, actions] = transition(launchItemMachine, launchItemSnapshot('pending'), {
      type: 'COMPLETE',
    });
    expect(next.value).toBe('done');
    expect(next.status).toBe('done');
    expect(actions).toEqual([]);
  });

  it('marks a pending item overdue, then completes it', () => {
    const [overdue] = transition(launchItemMachine, launchItemSnapshot('pending'), { type: 'MARK_OVERDUE' });
    expect(overdue.value).toBe('overdue');
    const [done] = transition(launchItemMachine, overdue, { type: 'COMPLETE' });
    expect(done.value).toBe('done');
  });

  it('ignores MARK_OVERDUE on an overdue or done item, and COMPLETE on a done item', () => {
    expect(
      transition(launchItemMachine, launchItemSnapshot('overdue'), { type: 'MARK_OVERDUE' })[0].value,
    ).toBe('overdue');
    expect(transition(launchItemMachine, launchItemSnapshot('done'), { type: 'MARK_OVERDUE' })[0].value).toBe(
      'done',
    );
    expect(transition(launchItemMachine, launchItemSnapshot('done'), { type: 'COMPLETE' })[0].value).toBe(
      'done',
    );
  });
});

describe('nextLaunchItemStatus', () => {
  it.each([
    ['pending', 'COMPLETE', 'done'],
    ['pending', 'MARK_OVERDUE', 'overdue'],
    ['overdue', 'COMPLETE', 'done'],
    ['overdue', 'MARK_OVERDUE', null],
    ['done', 'COMPLETE', null],
    ['done', 'MARK_OVERDUE', null],
  ] as const)('moves %s on %s to %s', (status, type, next) => {
    expect(nextLaunchItemStatus(status, type)).toBe(next);
  });
});

describe('isLaunchItemStatus', () => {
  it('recognises the stored statuses only', () => {
    expect(['pending', 'overdue', 'done', 'open', 1].map(isLaunchItemStatus)).toEqual([
      true,
      true,
      true,
      false,
      false,
    ]);
  });
});
