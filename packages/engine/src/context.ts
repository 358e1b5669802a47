import type { Db } from '@tower/db';
import type { RoleGrant } from '@tower/db';
import type { Logger } from '@tower/config';
import type { Role } from '@tower/domain';

/** What every command needs: the database and a clock (tests move time; production uses the wall clock). */
export interface EngineContext {
  readonly db: Db;
  readonly now: () => Date;
  /** Where commands log what a caller should know (a routing gap); optional in tests. */
  readonly log?: Logger;
}

export function createEngineContext(db: Db, now: () => Date = () => new Date(), log?: Logger): EngineContext {
  return { db, now, ...(log ? { log } : {}) };
}

/** Who is asking: a signed-in person with their role grants, or an API key (ingest only), or the system. */
export type Actor =
  | {
      readonly kind: 'person';
      readonly id: string;
      readonly name: string;
      readonly roles: readonly RoleGrant[];
    }
  | {
      readonly kind: 'api_key';
      readonly id: string;
      readonly name: string;
      readonly scopes: readonly string[];
    }
  | { readonly kind: 'system'; readonly id: null; readonly name: 'system' };

export type PersonActor = Extract<Actor, { kind: 'person' }>;

export const SYSTEM_ACTOR: Actor = { kind: 'system', id: null, name: 'system' };

export function hasRole(actor: Actor, role: Role): boolean {
  return actor.kind === 'person' && actor.roles.some((r) => r.role === role);
}

export function actorId(actor: Actor): string | null {
  return actor.kind === 'person' ? actor.id : null;
}
