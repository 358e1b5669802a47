import {
  findRulesDocument,
  insertAudit,
  lockRulesDocument,
  saveRulesDocument,
  type Executor,
} from '@tower/db';
import { DEFAULT_RULES, ROLES_THAT_MAY, type Rules } from '@tower/domain';
import { requirePerson, requireRole } from './access.js';
import type { Actor, EngineContext } from './context.js';
import type { RulesPatchInput } from './rules.inputs.js';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Deep-merges a stored (possibly older, partial) rules document over the defaults. */
function mergeOver<T>(base: T, override: unknown): T {
  if (!isRecord(base) || !isRecord(override)) return (override === undefined ? base : override) as T;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override))
    out[key] = mergeOver((base as Record<string, unknown>)[key], value);
  return out as T;
}

/** The rules in force: the stored document over the defaults of DOMAIN.md. */
export async function loadRules(db: Executor): Promise<Rules> {
  const stored = await findRulesDocument(db);
  return stored === undefined ? DEFAULT_RULES : mergeOver(DEFAULT_RULES, stored);
}

export async function getRules(ctx: EngineContext, actor: Actor): Promise<Rules> {
  requirePerson(actor);
  return loadRules(ctx.db);
}

/**
 * Replaces the rules (admin). The body was validated against the rules schema at the boundary;
 * a partial document is merged over the rules in force, so unknown-to-the-client fields keep their values.
 */
export async function updateRules(ctx: EngineContext, actor: Actor, patch: RulesPatchInput): Promise<Rules> {
  const admin = requireRole(actor, ROLES_THAT_MAY.changeRules, 'change the rules');
  return ctx.db.transaction().execute(async (tx) => {
    // Two admins saving at once: the second merges over the first, not over what both read.
    await lockRulesDocument(tx);
    const next = mergeOver(await loadRules(tx), patch);
    await saveRulesDocument(tx, next, admin.id, ctx.now());
    await insertAudit(tx, {
      actorId: admin.id,
      action: 'rules.updated',
      entity: 'rules',
      entityId: '1',
      data: { patch },
    });
    return next;
  });
}
