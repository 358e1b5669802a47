import { findRoutingVersion, listActivePeopleWithRoles, type Person, type Tx } from '@tower/db';
import { ROLES, type Role, type Rules } from '@tower/domain';
import type { EngineContext } from '../context.js';
import { loadRules } from '../rules.commands.js';

/** The rules and the active people with their roles and channels, as of one routing version. */
export interface RoutingSnapshot {
  readonly version: number;
  readonly rules: Rules;
  readonly people: readonly Person[];
}

/** One snapshot per database; replaced when the routing version moves (people, roles, channels, rules). */
const byDatabase = new WeakMap<object, RoutingSnapshot>();
/** Within one transaction the version is read once. */
const byTransaction = new WeakMap<object, RoutingSnapshot>();

/**
 * The routing snapshot in force: one statement (the version) when nothing changed since the last
 * look, else the rules and every active person reloaded. A transaction sees one snapshot throughout.
 */
export async function loadRoutingSnapshot(ctx: EngineContext, tx: Tx): Promise<RoutingSnapshot> {
  const seen = byTransaction.get(tx);
  if (seen) return seen;
  const version = await findRoutingVersion(tx);
  let snapshot = byDatabase.get(ctx.db);
  if (!snapshot || snapshot.version !== version) {
    const [rules, people] = await Promise.all([loadRules(tx), listActivePeopleWithRoles(tx, ROLES)]);
    snapshot = { version, rules, people };
    byDatabase.set(ctx.db, snapshot);
  }
  byTransaction.set(tx, snapshot);
  return snapshot;
}

/** The snapshot's people holding any of `roles`. */
export function peopleWithRoles(snapshot: RoutingSnapshot, roles: readonly Role[]): Person[] {
  return snapshot.people.filter((p) => p.roles.some((r) => roles.includes(r.role)));
}
