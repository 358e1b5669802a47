import { describe, expect, it } from 'vitest';
import {
  acceptedLaunchItemEvents,
  applyLaunchItemEvent,
  persistLaunchItem,
  restoreLaunchItem,
  type LaunchItemEvent,
} from './launch-item.machine.js';

const today = '2026-03-10';

function apply(stored: { status: string; dueOn: string }, event: LaunchItemEvent) {
  const decision = applyLaunchItemEvent(restoreLaunchItem(stored, today), event);
  if (decision.outcome !== 'transitioned') throw new Error(`refused: ${decision.allowed.join(',')}`);
  return {
    state: decision.snapshot.value,
    stored: persistLaunchItem(decision.snapshot),
    actions: decision.actions.map((a) => (a.type === 'recordChange' ? `record:${a.params.change}` : a.type)),
  };
}

describe('restoreLaunchItem', () => {
  it('works out overdue from the due date and the day: due today is on time', () => {
    expect(restoreLaunchItem({ status: 'pending', dueOn: '2026-03-10' }, today).value).toBe('pending');
    expect(restoreLaunchItem({ status: 'pending', dueOn: '2026-03-09' }, today).value).toBe('overdue');
    expect(restoreLaunchItem({ status: 'done', dueOn: '2026-03-01' }, today).value).toBe('done');
    expect(restoreLaunchItem({ status: 'cancelled', dueOn: '2026-03-01' }, today).value).toBe('cancelled');
  });

  it('refuses a status it does not know', () => {
    expect(() => restoreLaunchItem({ status: 'overdue', dueOn: '2026-03-01' }, today)).toThrow(
      expect.objectContaining({ code: 'LAUNCH_ITEM_STATUS_INVALID' }) as Error,
    );
  });
});

describe('launchItemMachine', () => {
  it('completes a pending item, recording it; an overdue one also answers its overdue task', () => {
    expect(apply({ status: 'pending', dueOn: '2026-03-12' }, { type: 'COMPLETE' })).toEqual({
      state: 'done',
      stored: { status: 'done', dueOn: '2026-03-12' },
      actions: ['record:completed'],
    });
    expect(apply({ status: 'pending', dueOn: '2026-03-01' }, { type: 'COMPLETE' }).actions).toEqual([
      'record:completed',
      'answerOverdueTask',
    ]);
  });

  it('undoes a done item back to pending, or to overdue (raising its task) when its date has passed', () => {
    expect(apply({ status: 'done', dueOn: '2026-03-12' }, { type: 'UNDO' })).toMatchObject({
      state: 'pending',
      stored: { status: 'pending' },
      actions: ['record:undone'],
    });
    expect(apply({ status: 'done', dueOn: '2026-03-01' }, { type: 'UNDO' })).toMatchObject({
      state: 'overdue',
      stored: { status: 'pending' },
      actions: ['record:undone', 'raiseOverdueTask'],
    });
  });

  it('cancels an open item for good', () => {
    const cancelled = apply({ status: 'pending', dueOn: '2026-03-01' }, { type: 'CANCEL' });
    expect(cancelled).toEqual({
      state: 'cancelled',
      stored: { status: 'cancelled', dueOn: '2026-03-01' },
      actions: ['record:cancelled', 'answerOverdueTask'],
    });
    expect(acceptedLaunchItemEvents(restoreLaunchItem(cancelled.stored, today))).toEqual([]);
  });

  it('re-plans: an overdue item with a later date is pending again and answers its task', () => {
    expect(
      apply({ status: 'pending', dueOn: '2026-03-01' }, { type: 'REPLAN', dueOn: '2026-03-20' }),
    ).toEqual({
      state: 'pending',
      stored: { status: 'pending', dueOn: '2026-03-20' },
      actions: ['record:replanned', 'answerOverdueTask'],
    });
    expect(
      apply({ status: 'pending', dueOn: '2026-03-20' }, { type: 'REPLAN', dueOn: '2026-03-02' }),
    ).toMatchObject({
      state: 'overdue',
      stored: { dueOn: '2026-03-02' },
      actions: ['record:replanned', 'raiseOverdueTask'],
    });
  });

  it('keeps a done item done when re-planned, with its new date', () => {
    expect(apply({ status: 'done', dueOn: '2026-03-01' }, { type: 'REPLAN', dueOn: '2026-04-01' })).toEqual({
      state: 'done',
      stored: { status: 'done', dueOn: '2026-04-01' },
      actions: ['record:replanned'],
    });
  });

  it.each([
    ['done', 'COMPLETE', ['UNDO', 'REPLAN']],
    ['done', 'CANCEL', ['UNDO', 'REPLAN']],
    ['pending', 'UNDO', ['COMPLETE', 'CANCEL', 'REPLAN']],
    ['cancelled', 'COMPLETE', []],
  ] as const)('refuses %s on %s, naming the accepted events', (status, type, allowed) => {
    const event = { type } as LaunchItemEvent;
    expect(applyLaunchItemEvent(restoreLaunchItem({ status, dueOn: '2026-03-12' }, today), event)).toEqual({
      outcome: 'not_allowed',
      allowed,
    });
  });
});
