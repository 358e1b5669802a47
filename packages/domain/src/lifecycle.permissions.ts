import type { Role } from './vocabulary.js';

/** The events a product's life cycle accepts (API.md "Products and their life cycle"). */
export const LIFECYCLE_EVENTS = [
  'APPROVE_RESEARCH',
  'REJECT',
  'APPROVE_PACKAGING',
  'APPROVE_BELOW_FLOOR',
  'APPROVE_PRICING',
  'COMPLETE_TRAINING',
  'LAUNCH',
  'REPRICE',
  'REPACKAGE',
  'RETRAIN',
  'RETIRE',
  'COMPLETE_RETIREMENT',
] as const;
export type LifecycleEventType = (typeof LIFECYCLE_EVENTS)[number];

export function isLifecycleEventType(value: unknown): value is LifecycleEventType {
  return typeof value === 'string' && (LIFECYCLE_EVENTS as readonly string[]).includes(value);
}

/** Who may send an event: `owner` is the product's own product manager; the others are roles. */
export type LifecycleSender = 'owner' | Extract<Role, 'admin' | 'director' | 'compliance_officer'>;

const OWNER_DIRECTOR_ADMIN = ['owner', 'director', 'admin'] as const;
const OWNER_ADMIN = ['owner', 'admin'] as const;

/** The "who may send" column of API.md, as data. */
export const LIFECYCLE_EVENT_SENDERS: Readonly<Record<LifecycleEventType, readonly LifecycleSender[]>> = {
  APPROVE_RESEARCH: OWNER_ADMIN,
  REJECT: OWNER_DIRECTOR_ADMIN,
  APPROVE_PACKAGING: ['compliance_officer'],
  APPROVE_BELOW_FLOOR: ['director'],
  APPROVE_PRICING: OWNER_ADMIN,
  COMPLETE_TRAINING: OWNER_ADMIN,
  LAUNCH: OWNER_ADMIN,
  REPRICE: OWNER_DIRECTOR_ADMIN,
  REPACKAGE: OWNER_DIRECTOR_ADMIN,
  RETRAIN: OWNER_DIRECTOR_ADMIN,
  RETIRE: OWNER_DIRECTOR_ADMIN,
  COMPLETE_RETIREMENT: OWNER_DIRECTOR_ADMIN,
};

/** A role a person holds, optionally scoped to a department and/or a branch. */
export interface RoleGrant {
  readonly role: Role;
  readonly departmentId: string | null;
  readonly branchId: string | null;
}

export interface LifecycleActor {
  readonly id: string;
  readonly roles: readonly RoleGrant[];
}

export interface LifecycleProductRef {
  readonly ownerId: string;
  readonly departmentId: string;
}

/**
 * Whether `actor` may send `type` to `product`'s life cycle. The owner is the product's `ownerId`
 * holding `product_manager` (in any scope). A role grant scoped to a department counts only for
 * that department's products; an unscoped grant counts for all.
 */
export function canSendLifecycleEvent(
  type: LifecycleEventType,
  actor: LifecycleActor,
  product: LifecycleProductRef,
): boolean {
  return LIFECYCLE_EVENT_SENDERS[type].some((sender) => {
    if (sender === 'owner') {
      return actor.id === product.ownerId && actor.roles.some((grant) => grant.role === 'product_manager');
    }
    return actor.roles.some(
      (grant) =>
        grant.role === sender && (grant.departmentId === null || grant.departmentId === product.departmentId),
    );
  });
}
