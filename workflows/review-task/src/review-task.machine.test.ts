import { describe, expect, it } from 'vitest';
import { initialTransition, transition } from 'xstate';
import type { Decision } from '@tower/domain';
import {
  LIFECYCLE_EVENT_FOR_DECISION,
  acceptedReviewTaskEvents,
  initialReviewTaskSnapshot,
  persistReviewTaskSnapshot,
  restoreReviewTaskSnapshot,
  reviewTaskMachine,
} from './index.js';
import type { ReviewTaskEvent, ReviewTaskSnapshot } from './index.js';

const actionTypes = (actions: readonly { type: string }[]) => actions.map((a) => a.type);

function run(snapshot: ReviewTaskSnapshot, ...events: ReviewTaskEvent[]): ReviewTaskSnapshot {
  return events.reduce((s, e) => transition(reviewTaskMachine, s, e)[0], snapshot);
}

describe('review task machine', () => {
  it('starts open at escalation level 0 with no actions', () => {
    const [snapshot, actions] = initialTransition(reviewTaskMachine, { maxEscalationLevel: 2 });
    expect(snapshot.value).toBe('open');
    expect(snapshot.context).toEqual({ escalationLevel: 0, maxEscalationLevel: 2 });
    expect(actions).toEqual([]);
  });

  it('moves to acknowledged on ACKNOWLEDGE', () => {
    const [next, actions] = transition(reviewTaskMachine, initialReviewTaskSnapshot(), {
      type: 'ACKNOWLEDGE',
    });
    expect(next.value).toBe('acknowledged');
    expect(actions).toEqual([]);
  });

  it('escalates an open task one level and asks the engine to notify', () => {
    const [next, actions] = transition(
      reviewTaskMachine,
      initialReviewTaskSnapshot({ maxEscalationLevel: 2 }),
      {
        type: 'ESCALATE',
      },
    );
    expect(next.value).toBe('open');
    expect(next.context.escalationLevel).toBe(1);
    expect(actions.map((a) => ({ type: a.type, params: a.params }))).toEqual([
      { type: 'notifyEscalation', params: { level: 1 } },
    ]);
  });

  it('refuses to escalate beyond the maximum level', () => {
    const atMax = run(initialReviewTaskSnapshot({ maxEscalationLevel: 1 }), { type: 'ESCALATE' });
    const [next, actions] = transition(reviewTaskMachine, atMax, { type: 'ESCALATE' });
    expect(next.context.escalationLevel).toBe(1);
    expect(actions).toEqual([]);
    expect(atMax.can({ type: 'ESCALATE' })).toBe(false);
  });

  it('does not escalate an acknowledged task', () => {
    const acknowledged = run(initialReviewTaskSnapshot({ maxEscalationLevel: 3 }), { type: 'ACKNOWLEDGE' });
    const [next, actions] = transition(reviewTaskMachine, acknowledged, { type: 'ESCALATE' });
    expect(next.value).toBe('acknowledged');
    expect(next.context.escalationLevel).toBe(0);
    expect(actions).toEqual([]);
  });

  it('records evidence while open or acknowledged and stays put', () => {
    const evidence = { summary: 'units 42 vs baseline 70 (-40 %)' };
    for (const s of [
      initialReviewTaskSnapshot(),
      run(initialReviewTaskSnapshot(), { type: 'ACKNOWLEDGE' }),
    ]) {
      const [next, actions] = transition(reviewTaskMachine, s, { type: 'ADD_EVIDENCE', evidence });
      expect(next.value).toBe(s.value);
      expect(actions.map((a) => ({ type: a.type, params: a.params }))).toEqual([
        { type: 'recordEvidence', params: { evidence } },
      ]);
    }
  });

  it.each(['reprice', 'repackage', 'retrain', 'retire'] as const)(
    'resolves with %s and asks the engine to apply it to the life cycle',
    (decision) => {
      const acknowledged = run(initialReviewTaskSnapshot(), { type: 'ACKNOWLEDGE' });
      const [next, actions] = transition(reviewTaskMachine, acknowledged, { type: 'RESOLVE', decision });
      expect(next.value).toBe('resolved');
      expect(next.status).toBe('done');
      expect(actions.map((a) => ({ type: a.type, params: a.params }))).toEqual([
        {
          type: 'applyDecision',
          params: { decision, lifecycleEvent: LIFECYCLE_EVENT_FOR_DECISION[decision] },
        },
      ]);
    },
  );

  it.each(['keep', 'promote'] as const)(
    'resolves an open task with %s without touching the life cycle',
    (decision) => {
      const [next, actions] = transition(reviewTaskMachine, initialReviewTaskSnapshot(), {
        type: 'RESOLVE',
        decision,
      });
      expect(next.value).toBe('resolved');
      expect(actions).toEqual([]);
    },
  );

  it('dismisses on the dismiss decision', () => {
    const [next, actions] = transition(reviewTaskMachine, initialReviewTaskSnapshot(), {
      type: 'RESOLVE',
      decision: 'dismiss',
    });
    expect(next.value).toBe('dismissed');
    expect(next.status).toBe('done');
    expect(actions).toEqual([]);
  });

  it('auto-resolves from open or acknowledged and records it', () => {
    for (const s of [
      initialReviewTaskSnapshot(),
      run(initialReviewTaskSnapshot(), { type: 'ACKNOWLEDGE' }),
    ]) {
      const [next, actions] = transition(reviewTaskMachine, s, { type: 'AUTO_RESOLVE' });
      expect(next.value).toBe('resolved');
      expect(actionTypes(actions)).toEqual(['recordAutoResolution']);
    }
  });

  it('accepts nothing once resolved or dismissed', () => {
    const resolved = run(initialReviewTaskSnapshot(), { type: 'RESOLVE', decision: 'keep' });
    const dismissed = run(initialReviewTaskSnapshot(), { type: 'RESOLVE', decision: 'dismiss' });
    for (const s of [resolved, dismissed]) {
      expect(acceptedReviewTaskEvents(s)).toEqual([]);
      const [next, actions] = transition(reviewTaskMachine, s, { type: 'ADD_EVIDENCE' });
      expect(next.value).toBe(s.value);
      expect(actions).toEqual([]);
    }
  });

  it('names the events each state accepts', () => {
    const open = initialReviewTaskSnapshot({ maxEscalationLevel: 1 });
    expect(acceptedReviewTaskEvents(open)).toEqual([
      'ACKNOWLEDGE',
      'ESCALATE',
      'ADD_EVIDENCE',
      'RESOLVE',
      'AUTO_RESOLVE',
    ]);
    expect(acceptedReviewTaskEvents(run(open, { type: 'ESCALATE' }))).toEqual([
      'ACKNOWLEDGE',
      'ADD_EVIDENCE',
      'RESOLVE',
      'AUTO_RESOLVE',
    ]);
    expect(acceptedReviewTaskEvents(run(open, { type: 'ACKNOWLEDGE' }))).toEqual([
      'ADD_EVIDENCE',
      'RESOLVE',
      'AUTO_RESOLVE',
    ]);
  });

  it('round-trips a snapshot through JSON and carries on from where it stopped', () => {
    const escalated = run(initialReviewTaskSnapshot({ maxEscalationLevel: 2 }), { type: 'ESCALATE' });
    const stored = JSON.parse(JSON.stringify(persistReviewTaskSnapshot(escalated))) as unknown;
    expect(stored).toEqual({ value: 'open', context: { escalationLevel: 1, maxEscalationLevel: 2 } });
    const restored = restoreReviewTaskSnapshot(stored as { value: unknown; context: unknown });
    const [next, actions] = transition(reviewTaskMachine, restored, { type: 'ESCALATE' });
    expect(next.context.escalationLevel).toBe(2);
    expect(actionTypes(actions)).toEqual(['notifyEscalation']);
    expect(acceptedReviewTaskEvents(next)).not.toContain('ESCALATE');
  });

  it('restores a final state as final', () => {
    const restored = restoreReviewTaskSnapshot({
      value: 'dismissed',
      context: { escalationLevel: 0, maxEscalationLevel: 1 },
    });
    expect(restored.status).toBe('done');
    expect(acceptedReviewTaskEvents(restored)).toEqual([]);
  });

  it('refuses a stored state that is not a review task state', () => {
    expect(() =>
      restoreReviewTaskSnapshot({ value: 'closed', context: { escalationLevel: 0, maxEscalationLevel: 1 } }),
    ).toThrow(expect.objectContaining({ code: 'REVIEW_TASK_SNAPSHOT_INVALID' }));
    expect(() => restoreReviewTaskSnapshot({ value: 'open', context: { escalationLevel: -1 } })).toThrow(
      expect.objectContaining({ code: 'REVIEW_TASK_SNAPSHOT_INVALID' }),
    );
  });

  it('maps exactly the life-cycle decisions to lifecycle events', () => {
    const decisions: Decision[] = ['keep', 'reprice', 'repackage', 'retrain', 'promote', 'retire', 'dismiss'];
    expect(decisions.filter((d) => d in LIFECYCLE_EVENT_FOR_DECISION)).toEqual([
      'reprice',
      'repackage',
      'retrain',
      'retire',
    ]);
  });
});
