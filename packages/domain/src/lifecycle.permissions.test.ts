import { describe, expect, it } from 'vitest';
import {
  canSendLifecycleEvent,
  isLifecycleEventType,
  LIFECYCLE_EVENTS,
  type LifecycleActor,
  type LifecycleEventType,
} from './lifecycle.permissions.js';
import type { Role } from './vocabulary.js';

const product = { ownerId: 'pm-1', departmentId: 'skin' };
const holder = (id: string, role: Role, departmentId: string | null = null): LifecycleActor => ({
  id,
  roles: [{ role, departmentId, branchId: null }],
});

const owner = holder('pm-1', 'product_manager', 'skin');
const otherPm = holder('pm-2', 'product_manager', 'skin');
const admin = holder('admin-1', 'admin');
const director = holder('dir-1', 'director');
const compliance = holder('co-1', 'compliance_officer');
const marketing = holder('mm-1', 'marketing_manager');
const departmentManager = holder('dm-1', 'department_manager', 'skin');

const table: Record<LifecycleEventType, LifecycleActor[]> = {
  APPROVE_RESEARCH: [owner, admin],
  REJECT: [owner, director, admin],
  APPROVE_PACKAGING: [compliance],
  APPROVE_BELOW_FLOOR: [director],
  APPROVE_PRICING: [owner, admin],
  COMPLETE_TRAINING: [owner, admin],
  LAUNCH: [owner, admin],
  REPRICE: [owner, director, admin],
  REPACKAGE: [owner, director, admin],
  RETRAIN: [owner, director, admin],
  RETIRE: [owner, director, admin],
  COMPLETE_RETIREMENT: [owner, director, admin],
};
const everyone = [owner, otherPm, admin, director, compliance, marketing, departmentManager];

describe('canSendLifecycleEvent', () => {
  it.each(LIFECYCLE_EVENTS)('lets exactly the senders of API.md send %s', (type) => {
    const allowed = everyone.filter((actor) => canSendLifecycleEvent(type, actor, product)).map((a) => a.id);
    expect(allowed.sort()).toEqual(table[type].map((a) => a.id).sort());
  });

  it('does not treat the owner id without the product_manager role as the owner', () => {
    expect(canSendLifecycleEvent('APPROVE_RESEARCH', holder('pm-1', 'marketing_manager'), product)).toBe(
      false,
    );
  });

  it('counts a department-scoped grant only for products of that department', () => {
    const skinCompliance = holder('co-2', 'compliance_officer', 'skin');
    const surgeryCompliance = holder('co-3', 'compliance_officer', 'surgery');
    expect(canSendLifecycleEvent('APPROVE_PACKAGING', skinCompliance, product)).toBe(true);
    expect(canSendLifecycleEvent('APPROVE_PACKAGING', surgeryCompliance, product)).toBe(false);
  });
});

describe('isLifecycleEventType', () => {
  it('recognises the event names and nothing else', () => {
    expect(isLifecycleEventType('LAUNCH')).toBe(true);
    expect(isLifecycleEventType('launch')).toBe(false);
    expect(isLifecycleEventType(3)).toBe(false);
  });
});
