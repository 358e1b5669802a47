import { describe, expect, it } from 'vitest';
import { initialTransition, transition, type StateValue } from 'xstate';
import type { AppError } from '@tower/domain';
import { DEFAULT_RULES, LIFECYCLE_EVENTS, type LifecycleEventType, type Price } from '@tower/domain';
import {
  acceptedEvents,
  applyLifecycleEvent,
  emptyFacts,
  gateReasons,
  initialLifecycleSnapshot,
  lifecycleMachine,
  persistLifecycleSnapshot,
  restoreLifecycleSnapshot,
  stageOf,
  subStateOf,
  type LifecycleEvent,
  type LifecycleFacts,
  type LifecycleSnapshot,
} from './lifecycle.machine.js';

/** Facts that pass every gate (and leave nothing below the floor to approve). */
function completeFacts(overrides: Partial<LifecycleFacts> = {}): LifecycleFacts {
  return emptyFacts(DEFAULT_RULES, {
    competitorPriceCount: 3,
    targetCustomerDescription: 'Women 28–45 with mild mid-face volume loss',
    sheet: {
      spec: '1 ml',
      certification: '国械注准20233130001',
      ingredients: 'Cross-linked hyaluronic acid',
      efficacy: 'Restores mid-face volume; results vary',
      targetCustomers: 'Women 28–45',
      sellingPoints: 'Natural look, short downtime',
      comparison: 'Softer gel than brand B',
      precautions: 'No massage for 2 weeks',
      clinicalInfo: 'Multicentre study, 120 patients',
      salesScripts: 'Ask what the customer wants to change',
      indications: ['mid-face volume loss'],
      contraindications: ['pregnancy'],
    },
    tier: 'profit',
    costs: { consumablesFen: 6000, labourFen: 2000, overheadFen: 1000, marketingFen: 1000 },
    prices: [
      { type: 'list', amountFen: 19800 },
      { type: 'activity', amountFen: 16800 },
    ],
    launchBranchIds: ['b1'],
    trainees: [
      { branchId: 'b1', role: 'doctor', passed: true, name: 'Dr Li' },
      { branchId: 'b1', role: 'consultant', passed: true, name: 'Wang' },
    ],
    today: '2026-03-01',
    ...overrides,
  });
}

const event = (type: LifecycleEventType, facts: LifecycleFacts = completeFacts()): LifecycleEvent => ({
  type,
  facts,
});

const at = (value: StateValue): LifecycleSnapshot =>
  lifecycleMachine.resolveState({ value, context: { productId: 'p1' } });

const codes = (value: StateValue, e: LifecycleEvent): string[] => gateReasons(value, e).map((r) => r.code);

/** API.md's table: state → event → next state. */
const TABLE: Record<string, Partial<Record<LifecycleEventType, StateValue>>> = {
  research: { APPROVE_RESEARCH: 'packaging', REJECT: 'rejected' },
  packaging: { APPROVE_PACKAGING: 'pricing', REJECT: 'rejected' },
  pricing: { APPROVE_PRICING: 'training', APPROVE_BELOW_FLOOR: 'pricing', REJECT: 'rejected' },
  training: { COMPLETE_TRAINING: 'launch', REJECT: 'rejected' },
  launch: { LAUNCH: 'monitoring', REJECT: 'rejected' },
  monitoring: {
    REPRICE: 'pricing',
    REPACKAGE: 'packaging',
    RETRAIN: 'training',
    RETIRE: { retirement: 'phasing_out' },
  },
  retirement: { COMPLETE_RETIREMENT: 'retired' },
  retired: {},
  rejected: {},
};
const belowFloor: Price[] = [
  { type: 'list', amountFen: 19800 },
  { type: 'first_order', amountFen: 9900 },
];

describe('lifecycleMachine', () => {
  it('starts a new product in research with its id in context', () => {
    const snapshot = initialLifecycleSnapshot('p1');
    expect(snapshot.value).toBe('research');
    expect(snapshot.context).toEqual({ productId: 'p1' });
    expect(initialLifecycleSnapshot().context).toEqual({ productId: null });
    expect(initialTransition(lifecycleMachine, {})[0].value).toBe('research');
  });

  const moves = Object.entries(TABLE).flatMap(([from, events]) =>
    Object.entries(events).map(([type, to]) => [from, type as LifecycleEventType, to] as const),
  );
  it.each(moves)('moves from %s on %s to %j when its gate passes', (from, type, to) => {
    const facts = type === 'APPROVE_BELOW_FLOOR' ? completeFacts({ prices: belowFloor }) : completeFacts();
    const [next] = transition(lifecycleMachine, at(from), event(type, facts));
    expect(next.value).toEqual(to);
  });

  const refused = Object.entries(TABLE).flatMap(([from, events]) =>
    LIFECYCLE_EVENTS.filter((type) => !(type in events)).map((type) => [from, type] as const),
  );
  it.each(refused)('ignores an event %s does not accept: %s', (from, type) => {
    const before = at(from);
    const [next, actions] = transition(lifecycleMachine, before, event(type));
    expect(next.value).toEqual(before.value);
    expect(actions).toEqual([]);
    expect(acceptedEvents(before)).not.toContain(type);
  });

  it('ends in the final states retired and rejected', () => {
    expect(at('retired').status).toBe('done');
    expect(at('rejected').status).toBe('done');
    expect(at('monitoring').status).toBe('active');
  });
});

describe('guards', () => {
  it('refuses APPROVE_RESEARCH with every research reason and stays in research', () => {
    const facts = completeFacts({ competitorPriceCount: 2, targetCustomerDescription: null });
    expect(codes('research', event('APPROVE_RESEARCH', facts))).toEqual([
      'COMPETITOR_PRICES_TOO_FEW',
      'TARGET_CUSTOMERS_MISSING',
    ]);
    expect(transition(lifecycleMachine, at('research'), event('APPROVE_RESEARCH', facts))[0].value).toBe(
      'research',
    );
  });

  it('refuses APPROVE_PACKAGING for an incomplete sheet and for an over-promise', () => {
    const base = completeFacts();
    const incomplete = completeFacts({ sheet: { ...base.sheet, precautions: '', contraindications: [] } });
    expect(codes('packaging', event('APPROVE_PACKAGING', incomplete))).toEqual([
      'SHEET_FIELD_MISSING',
      'SHEET_CONTRAINDICATIONS_MISSING',
    ]);
    const promising = completeFacts({
      sheet: { ...base.sheet, efficacy: '效果永久', salesScripts: 'Painless' },
    });
    expect(gateReasons('packaging', event('APPROVE_PACKAGING', promising))).toEqual([
      expect.objectContaining({ code: 'OVER_PROMISE', field: 'efficacy', term: '永久' }),
      expect.objectContaining({ code: 'OVER_PROMISE', field: 'salesScripts', term: 'painless' }),
    ]);
    for (const facts of [incomplete, promising]) {
      expect(transition(lifecycleMachine, at('packaging'), event('APPROVE_PACKAGING', facts))[0].value).toBe(
        'packaging',
      );
    }
  });

  it('refuses APPROVE_PRICING with every pricing reason', () => {
    const missing = completeFacts({ costs: null, prices: [{ type: 'session_card', amountFen: 100 }] });
    expect(codes('pricing', event('APPROVE_PRICING', missing))).toEqual([
      'COSTS_MISSING',
      'LIST_PRICE_MISSING',
      'SESSION_CARD_SESSIONS_MISSING',
    ]);
    const tight = completeFacts({ prices: [...belowFloor, { type: 'activity', amountFen: 18000 }] });
    expect(codes('pricing', event('APPROVE_PRICING', tight))).toEqual([
      'PRICE_BELOW_FLOOR',
      'HEADROOM_TOO_SMALL',
    ]);
    expect(transition(lifecycleMachine, at('pricing'), event('APPROVE_PRICING', tight))[0].value).toBe(
      'pricing',
    );
  });

  it('passes APPROVE_PRICING once the director approved the price below the floor', () => {
    const facts = completeFacts({
      prices: belowFloor,
      approvals: [{ type: 'first_order', amountFen: 9900 }],
    });
    expect(gateReasons('pricing', event('APPROVE_PRICING', facts))).toEqual([]);
    expect(transition(lifecycleMachine, at('pricing'), event('APPROVE_PRICING', facts))[0].value).toBe(
      'training',
    );
  });

  it('refuses APPROVE_BELOW_FLOOR when nothing is below the floor or costs are unknown', () => {
    expect(codes('pricing', event('APPROVE_BELOW_FLOOR'))).toEqual(['NOTHING_BELOW_FLOOR']);
    expect(codes('pricing', event('APPROVE_BELOW_FLOOR', completeFacts({ costs: null })))).toEqual([
      'COSTS_MISSING',
    ]);
    const approved = completeFacts({
      prices: belowFloor,
      approvals: [{ type: 'first_order', amountFen: 9900 }],
    });
    const [, actions] = transition(lifecycleMachine, at('pricing'), event('APPROVE_BELOW_FLOOR', approved));
    expect(actions).toEqual([]);
  });

  it('refuses COMPLETE_TRAINING with every training reason', () => {
    const facts = completeFacts({
      launchBranchIds: ['b1', 'b2'],
      trainees: [
        { branchId: 'b1', role: 'doctor', passed: true, name: 'Dr Li' },
        { branchId: 'b1', role: 'consultant', passed: false, name: 'Wang' },
      ],
    });
    expect(codes('training', event('COMPLETE_TRAINING', facts))).toEqual([
      'TRAINEE_NOT_PASSED',
      'DOCTOR_MISSING',
      'CONSULTANT_MISSING',
    ]);
    expect(codes('training', event('COMPLETE_TRAINING', completeFacts({ launchBranchIds: [] })))).toEqual([
      'LAUNCH_BRANCHES_MISSING',
    ]);
    expect(transition(lifecycleMachine, at('training'), event('COMPLETE_TRAINING', facts))[0].value).toBe(
      'training',
    );
  });

  it('refuses LAUNCH while a required checklist item is open', () => {
    const facts = completeFacts({
      openChecklistItems: [{ title: 'Equipment checked', branchId: 'b1', ownerRole: 'department_manager' }],
    });
    expect(gateReasons('launch', event('LAUNCH', facts))).toEqual([
      expect.objectContaining({ code: 'CHECKLIST_ITEM_OPEN', title: 'Equipment checked', branchId: 'b1' }),
    ]);
    expect(transition(lifecycleMachine, at('launch'), event('LAUNCH', facts))[0].value).toBe('launch');
  });

  it('refuses COMPLETE_RETIREMENT while prepaid sessions remain before the end date', () => {
    const facts = completeFacts({
      outstandingPrepaidSessions: 3,
      retirementEndOn: '2026-06-30',
      today: '2026-03-01',
    });
    expect(codes('retirement', event('COMPLETE_RETIREMENT', facts))).toEqual([
      'PREPAID_SESSIONS_OUTSTANDING',
    ]);
    expect(codes({ retirement: 'phasing_out' }, event('COMPLETE_RETIREMENT', facts))).toEqual([
      'PREPAID_SESSIONS_OUTSTANDING',
    ]);
    const [stays] = transition(lifecycleMachine, at('retirement'), event('COMPLETE_RETIREMENT', facts));
    expect(stays.value).toEqual({ retirement: 'phasing_out' });
    const [ends] = transition(
      lifecycleMachine,
      at('retirement'),
      event('COMPLETE_RETIREMENT', { ...facts, today: '2026-06-30' }),
    );
    expect(ends.value).toBe('retired');
  });

  it('passes every gate with complete facts', () => {
    for (const [from, events] of Object.entries(TABLE)) {
      for (const type of Object.keys(events) as LifecycleEventType[]) {
        if (type === 'APPROVE_BELOW_FLOOR') continue;
        expect(gateReasons(from, event(type))).toEqual([]);
      }
    }
  });

  it('reports no reasons for an event the state does not accept', () => {
    const empty = emptyFacts(DEFAULT_RULES);
    expect(gateReasons('monitoring', event('APPROVE_RESEARCH', empty))).toEqual([]);
  });
});

describe('actions', () => {
  it('returns createLaunchChecklist with the launching branches on COMPLETE_TRAINING', () => {
    const facts = completeFacts({
      launchBranchIds: ['b1', 'b2', 'b1'],
      trainees: ['b1', 'b2'].flatMap((branchId) => [
        { branchId, role: 'doctor' as const, passed: true, name: `Dr ${branchId}` },
        { branchId, role: 'consultant' as const, passed: true, name: `C ${branchId}` },
      ]),
    });
    const [next, actions] = transition(lifecycleMachine, at('training'), event('COMPLETE_TRAINING', facts));
    expect(next.value).toBe('launch');
    expect(actions.map(({ type, params }) => ({ type, params }))).toEqual([
      { type: 'createLaunchChecklist', params: { branchIds: ['b1', 'b2'] } },
    ]);
  });

  it('returns recordBelowFloorApproval with the unapproved below-floor prices and stays in pricing', () => {
    const facts = completeFacts({
      prices: [...belowFloor, { type: 'flash_sale', amountFen: 8800 }, { type: 'member', amountFen: 12000 }],
      approvals: [{ type: 'member', amountFen: 12000 }],
    });
    const [next, actions] = transition(lifecycleMachine, at('pricing'), event('APPROVE_BELOW_FLOOR', facts));
    expect(next.value).toBe('pricing');
    expect(actions.map(({ type, params }) => ({ type, params }))).toEqual([
      {
        type: 'recordBelowFloorApproval',
        params: {
          approvals: [
            { type: 'first_order', amountFen: 9900 },
            { type: 'flash_sale', amountFen: 8800 },
          ],
        },
      },
    ]);
  });

  it('returns no action on other transitions', () => {
    expect(transition(lifecycleMachine, at('research'), event('APPROVE_RESEARCH'))[1]).toEqual([]);
  });
});

describe('acceptedEvents, stageOf and subStateOf', () => {
  it.each(Object.entries(TABLE))('lists what %s accepts, in event order', (from, events) => {
    expect(acceptedEvents(at(from))).toEqual(LIFECYCLE_EVENTS.filter((type) => type in events));
  });

  it('names the top-level stage and the sub-state of retirement', () => {
    expect(stageOf(at('pricing'))).toBe('pricing');
    expect(subStateOf(at('pricing'))).toBeNull();
    expect(stageOf(at('retirement'))).toBe('retirement');
    expect(subStateOf(at('retirement'))).toBe('phasing_out');
  });
});

describe('applyLifecycleEvent', () => {
  it('answers not_allowed with the accepted events', () => {
    expect(applyLifecycleEvent(at('research'), event('LAUNCH'))).toEqual({
      outcome: 'not_allowed',
      allowed: ['APPROVE_RESEARCH', 'REJECT'],
    });
  });

  it('answers guard_failed with every reason', () => {
    const decision = applyLifecycleEvent(
      at('research'),
      event('APPROVE_RESEARCH', emptyFacts(DEFAULT_RULES)),
    );
    expect(decision).toEqual({ outcome: 'guard_failed', reasons: [expect.anything(), expect.anything()] });
  });

  it('answers transitioned with the next snapshot and its actions', () => {
    const decision = applyLifecycleEvent(at('training'), event('COMPLETE_TRAINING'));
    expect(decision.outcome).toBe('transitioned');
    if (decision.outcome !== 'transitioned') return;
    expect(decision.snapshot.value).toBe('launch');
    expect(decision.actions.map((a) => a.type)).toEqual(['createLaunchChecklist']);
  });
});

describe('persist and restore', () => {
  it.each(['research', 'pricing', 'monitoring', { retirement: 'phasing_out' }, 'retired', 'rejected'])(
    'round-trips %j through JSON',
    (value) => {
      const snapshot = at(value);
      const stored = JSON.parse(JSON.stringify(persistLifecycleSnapshot(snapshot))) as unknown;
      expect(stored).toEqual({ value, context: { productId: 'p1' } });
      const restored = restoreLifecycleSnapshot(stored);
      expect(restored.value).toEqual(snapshot.value);
      expect(restored.context).toEqual(snapshot.context);
      expect(restored.status).toBe(snapshot.status);
      expect(acceptedEvents(restored)).toEqual(acceptedEvents(snapshot));
    },
  );

  it('restores a snapshot that still moves on', () => {
    const restored = restoreLifecycleSnapshot({ value: 'research', context: { productId: 'p1' } });
    expect(transition(lifecycleMachine, restored, event('APPROVE_RESEARCH'))[0].value).toBe('packaging');
  });

  it.each([
    null,
    'research',
    { value: 'nowhere', context: { productId: 'p1' } },
    { value: { retirement: 'somewhere' }, context: { productId: 'p1' } },
    { value: { pricing: 'phasing_out' }, context: { productId: 'p1' } },
    { value: 'toString', context: { productId: 'p1' } },
    { value: 'research' },
    { value: 'research', context: { productId: 7 } },
  ])('refuses an invalid stored snapshot: %j', (stored) => {
    expect(() => restoreLifecycleSnapshot(stored)).toThrow(
      expect.objectContaining({ code: 'LIFECYCLE_SNAPSHOT_INVALID', kind: 'internal' }) as AppError,
    );
  });
});

describe('a product from research to retired', () => {
  it('walks every stage, back to pricing once, and retires when the prepaid sessions are used', () => {
    const steps: [LifecycleEventType, LifecycleFacts, StateValue][] = [
      ['APPROVE_RESEARCH', completeFacts(), 'packaging'],
      ['APPROVE_PACKAGING', completeFacts(), 'pricing'],
      ['APPROVE_BELOW_FLOOR', completeFacts({ prices: belowFloor }), 'pricing'],
      [
        'APPROVE_PRICING',
        completeFacts({ prices: belowFloor, approvals: [{ type: 'first_order', amountFen: 9900 }] }),
        'training',
      ],
      ['COMPLETE_TRAINING', completeFacts(), 'launch'],
      ['LAUNCH', completeFacts(), 'monitoring'],
      ['REPRICE', completeFacts(), 'pricing'],
      ['APPROVE_PRICING', completeFacts(), 'training'],
      ['COMPLETE_TRAINING', completeFacts(), 'launch'],
      ['LAUNCH', completeFacts(), 'monitoring'],
      ['RETIRE', completeFacts(), { retirement: 'phasing_out' }],
      [
        'COMPLETE_RETIREMENT',
        completeFacts({ outstandingPrepaidSessions: 2 }),
        { retirement: 'phasing_out' },
      ],
      ['COMPLETE_RETIREMENT', completeFacts({ outstandingPrepaidSessions: 0 }), 'retired'],
    ];
    let snapshot = initialLifecycleSnapshot('p1');
    for (const [type, facts, expected] of steps) {
      snapshot = restoreLifecycleSnapshot(
        persistLifecycleSnapshot(transition(lifecycleMachine, snapshot, event(type, facts))[0]),
      );
      expect(snapshot.value).toEqual(expected);
    }
    expect(snapshot.status).toBe('done');
    expect(stageOf(snapshot)).toBe('retired');
    expect(acceptedEvents(snapshot)).toEqual([]);
  });
});
