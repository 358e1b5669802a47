import {
  findLatestLaunchTemplate,
  findLaunchTemplate,
  insertAudit,
  insertLaunchTemplate,
  listLatestLaunchTemplates,
  type Executor,
  type LaunchTemplateRow,
} from '@tower/db';
import {
  AppError,
  DEFAULT_LAUNCH_TEMPLATE_VERSION,
  DEFAULT_LAUNCH_TEMPLATES,
  LAUNCH_OWNER_ROLES,
  launchTemplateProblems,
  TIERS,
  type LaunchTemplateItem,
  type Tier,
  ROLES_THAT_MAY,
} from '@tower/domain';
import { requirePerson, requireRole } from './access.js';
import type { Actor, EngineContext } from './context.js';
import type { LaunchTemplateInput } from './launch.inputs.js';

/** A tier's launch template as people see it; `createdAt`/`createdBy` are null for the built-in version. */
export interface LaunchTemplateView {
  tier: Tier;
  version: number;
  builtIn: boolean;
  items: LaunchTemplateItem[];
  createdAt: Date | null;
  createdBy: string | null;
}

function invalidStored(tier: string, version: number): AppError {
  return new AppError(
    'LAUNCH_TEMPLATE_INVALID',
    `The stored launch template ${tier} v${version} is not a list of template items.`,
  );
}

/** Stored JSON back into template items, checked once where it is read. */
function parseItems(row: LaunchTemplateRow): LaunchTemplateItem[] {
  if (!Array.isArray(row.items)) throw invalidStored(row.tier, row.version);
  return row.items.map((raw: unknown) => {
    const item = raw as Partial<Record<keyof LaunchTemplateItem, unknown>>;
    if (
      typeof raw !== 'object' ||
      raw === null ||
      !(LAUNCH_OWNER_ROLES as readonly unknown[]).includes(item.ownerRole) ||
      typeof item.title !== 'string' ||
      !Number.isInteger(item.daysBefore) ||
      typeof item.required !== 'boolean'
    ) {
      throw invalidStored(row.tier, row.version);
    }
    return {
      ownerRole: item.ownerRole as LaunchTemplateItem['ownerRole'],
      title: item.title,
      ...(typeof item.titleZh === 'string' ? { titleZh: item.titleZh } : {}),
      ...(typeof item.description === 'string' ? { description: item.description } : {}),
      daysBefore: item.daysBefore as number,
      required: item.required,
    };
  });
}

function builtIn(tier: Tier): LaunchTemplateView {
  return {
    tier,
    version: DEFAULT_LAUNCH_TEMPLATE_VERSION,
    builtIn: true,
    items: [...DEFAULT_LAUNCH_TEMPLATES[tier]],
    createdAt: null,
    createdBy: null,
  };
}

function stored(row: LaunchTemplateRow): LaunchTemplateView {
  return {
    tier: row.tier,
    version: row.version,
    builtIn: false,
    items: parseItems(row),
    createdAt: row.createdAt,
    createdBy: row.createdBy,
  };
}

/**
 * The template a tier's checklists are made from: the given version (a checklist being re-planned
 * keeps the version that made it) or else the newest. Version 1 is the built-in template.
 */
export async function loadLaunchTemplate(
  db: Executor,
  tier: Tier,
  version?: number,
): Promise<LaunchTemplateView> {
  if (version === DEFAULT_LAUNCH_TEMPLATE_VERSION) return builtIn(tier);
  const row =
    version === undefined
      ? await findLatestLaunchTemplate(db, tier)
      : await findLaunchTemplate(db, tier, version);
  if (row) return stored(row);
  if (version === undefined) return builtIn(tier);
  throw new AppError('LAUNCH_TEMPLATE_NOT_FOUND', `No launch template ${tier} v${version}.`);
}

/** The current template of every tier, in tier order. */
export async function getLaunchTemplates(
  ctx: EngineContext,
  actor: Actor,
): Promise<{ templates: LaunchTemplateView[] }> {
  requirePerson(actor);
  const rows = await listLatestLaunchTemplates(ctx.db);
  return {
    templates: TIERS.map((tier) => {
      const row = rows.find((r) => r.tier === tier);
      return row ? stored(row) : builtIn(tier);
    }),
  };
}

/**
 * An admin replaces a tier's template: validated (400 naming every problem), stored as the next
 * version. Checklists already made keep theirs; the next one made for the tier uses this.
 */
export async function saveLaunchTemplate(
  ctx: EngineContext,
  actor: Actor,
  tier: Tier,
  input: LaunchTemplateInput,
): Promise<LaunchTemplateView> {
  const person = requireRole(actor, ROLES_THAT_MAY.changeLaunchTemplates, 'change launch templates');
  const problems = launchTemplateProblems(input.items);
  if (problems.length > 0) {
    throw new AppError('INVALID_INPUT', 'The template is not valid.', { fields: problems });
  }
  const items = input.items.map((item) => ({
    ownerRole: item.ownerRole,
    title: item.title.trim(),
    ...(item.titleZh?.trim() ? { titleZh: item.titleZh.trim() } : {}),
    ...(item.description?.trim() ? { description: item.description.trim() } : {}),
    daysBefore: item.daysBefore,
    required: item.required,
  }));
  return ctx.db.transaction().execute(async (tx) => {
    const current = await loadLaunchTemplate(tx, tier);
    const row = await insertLaunchTemplate(tx, {
      tier,
      version: current.version + 1,
      items,
      createdBy: person.id,
      createdAt: ctx.now(),
    });
    await insertAudit(tx, {
      actorId: person.id,
      action: 'launch_template.saved',
      entity: 'launch_template',
      entityId: `${tier}-v${row.version}`,
      data: { tier, version: row.version, items: items.length },
    });
    return stored(row);
  });
}
