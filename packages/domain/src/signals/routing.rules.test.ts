import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES } from '../rules.js';
import type { Role } from '../vocabulary.js';
import { escalationTargets, launchItemRoutes, routeSignal } from './routing.rules.js';
import type { RouteSignalInput, RoutingPerson } from './routing.rules.js';

function person(
  id: string,
  grants: [role: Role, departmentId?: string | null, branchId?: string | null][],
  active = true,
): RoutingPerson {
  return {
    id,
    active,
    roles: grants.map(([role, departmentId = null, branchId = null]) => ({ role, departmentId, branchId })),
  };
}

const injectionProduct = { ownerId: 'pm-owner', departmentId: 'injection' };

const people: RoutingPerson[] = [
  person('pm-owner', [['product_manager', 'injection']]),
  person('pm-other', [['product_manager', 'skin']]),
  person('mkt-chain', [['marketing_manager']]),
  person('mkt-a', [['marketing_manager', null, 'branch-a']]),
  person('mkt-b', [['marketing_manager', null, 'branch-b']]),
  person('dm-injection-a', [['department_manager', 'injection', 'branch-a']]),
  person('dm-injection-b', [['department_manager', 'injection', 'branch-b']]),
  person('dm-injection-wide', [['department_manager', 'injection', null]]),
  person('dm-skin-a', [['department_manager', 'skin', 'branch-a']]),
  person('compliance', [['compliance_officer']]),
  person('director-2', [['director']]),
  person('director-1', [['director']]),
  person('director-gone', [['director']], false),
];

function route(overrides: Partial<RouteSignalInput> & Pick<RouteSignalInput, 'signal'>) {
  return routeSignal({
    product: injectionProduct,
    branchId: 'branch-a',
    people,
    rules: DEFAULT_RULES,
    ...overrides,
  });
}

describe('routeSignal', () => {
  it('routes a sales dip to the owner and the marketing managers for that branch', () => {
    expect(route({ signal: 'sales_dip' })).toEqual({
      assignees: ['pm-owner', 'mkt-a', 'mkt-chain'],
      informed: [],
      gaps: [],
    });
  });

  it('routes a product-wide signal only to unscoped holders of an `any` role', () => {
    expect(route({ signal: 'target_miss', branchId: null }).assignees).toEqual(['mkt-chain', 'pm-owner']);
  });

  it('routes a complaint spike to the department manager at that branch and informs the owner', () => {
    expect(route({ signal: 'complaint_spike' })).toEqual({
      assignees: ['dm-injection-a'],
      informed: ['pm-owner'],
      gaps: [],
    });
  });

  it('does not give a branch A department manager a complaint from branch B', () => {
    expect(route({ signal: 'complaint_spike', branchId: 'branch-b' }).assignees).toEqual(['dm-injection-b']);
  });

  it('never gives a skin department manager an injection complaint', () => {
    const routing = route({ signal: 'severe_complaint' });
    expect(routing.assignees).not.toContain('dm-skin-a');
    expect(routing).toEqual({
      assignees: ['dm-injection-a', 'compliance', 'director-1', 'director-2'],
      informed: [],
      gaps: [],
    });
  });

  it('falls back to department-wide managers when the branch has none', () => {
    expect(route({ signal: 'complaint_spike', branchId: 'branch-c' }).assignees).toEqual([
      'dm-injection-wide',
    ]);
  });

  it('does not let an `any` grant for another department match', () => {
    const skinOnly = [
      person('pm-owner', [['product_manager']]),
      person('mkt-skin', [['marketing_manager', 'skin']]),
      person('d', [['director']]),
    ];
    expect(route({ signal: 'sales_dip', people: skinOnly })).toEqual({
      assignees: ['pm-owner', 'd'],
      informed: [],
      gaps: ['marketing_manager'],
    });
  });

  it('hands a role nobody holds to the active directors and reports the gap', () => {
    const noDepartmentManager = people.filter((p) => !p.id.startsWith('dm-'));
    expect(route({ signal: 'complaint_spike', people: noDepartmentManager })).toEqual({
      assignees: ['director-1', 'director-2'],
      informed: ['pm-owner'],
      gaps: ['department_manager'],
    });
  });

  it('treats an inactive owner as a gap', () => {
    const ownerGone = people.map((p) => (p.id === 'pm-owner' ? { ...p, active: false } : p));
    expect(route({ signal: 'margin_erosion', people: ownerGone })).toEqual({
      assignees: ['director-1', 'director-2'],
      informed: [],
      gaps: ['product_manager'],
    });
  });

  it('treats an owner without the product manager role as a gap', () => {
    const product = { ownerId: 'compliance', departmentId: 'injection' };
    expect(route({ signal: 'stage_stalled', product }).gaps).toEqual(['product_manager']);
  });

  it('reports the gap with empty assignees when there is no director either', () => {
    expect(
      route({ signal: 'margin_erosion', people: [person('mkt-chain', [['marketing_manager']])] }),
    ).toEqual({
      assignees: [],
      informed: [],
      gaps: ['product_manager'],
    });
  });

  it('keeps a person who is both assignee and informed as an assignee only', () => {
    const rules = {
      ...DEFAULT_RULES,
      signals: {
        ...DEFAULT_RULES.signals,
        complaint_spike: {
          ...DEFAULT_RULES.signals.complaint_spike,
          routes: [
            { role: 'product_manager', scope: 'owner', informOnly: true },
            { role: 'product_manager', scope: 'owner' },
            { role: 'product_manager', scope: 'owner' },
          ],
        },
      },
    } satisfies typeof DEFAULT_RULES;
    expect(route({ signal: 'complaint_spike', rules })).toEqual({
      assignees: ['pm-owner'],
      informed: [],
      gaps: [],
    });
  });

  it('routes an overdue launch item to its owner role at the item branch', () => {
    expect(
      route({ signal: 'launch_item_overdue', extraRoutes: launchItemRoutes('department_manager') }).assignees,
    ).toEqual(['dm-injection-a']);
    expect(
      route({
        signal: 'launch_item_overdue',
        branchId: 'branch-b',
        extraRoutes: launchItemRoutes('marketing_manager'),
      }).assignees,
    ).toEqual(['mkt-b', 'mkt-chain']);
    expect(
      route({ signal: 'launch_item_overdue', extraRoutes: launchItemRoutes('product_manager') }).assignees,
    ).toEqual(['pm-owner']);
  });
});

describe('escalationTargets', () => {
  it('lists the active directors in id order', () => {
    expect(escalationTargets(people)).toEqual(['director-1', 'director-2']);
  });
});
