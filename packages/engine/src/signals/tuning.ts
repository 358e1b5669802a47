import {
  addFalseAlarms,
  countTasksAndFeedbackBySignal,
  findSignalTuning,
  insertAudit,
  listSignalTuning,
  resetSignalTuning,
  updateTuningLevel,
  type TaskRow,
  type TuningKey,
  type Tx,
} from '@tower/db';
import {
  AppError,
  REVIEW_SIGNAL,
  ROLES_THAT_MAY,
  tighteningFor,
  type Rules,
  type Tightening,
} from '@tower/domain';
import { requirePerson, requireRole, visibleDepartmentIds } from '../access.js';
import type { Actor, EngineContext } from '../context.js';
import type { TuningResetInput } from '../tasks.inputs.js';
import { findVisibleProduct } from '../products.commands.js';

/** The tightening a key has earned from false alarms, or undefined at the rule as written. */
export async function loadTightening(tx: Tx, key: TuningKey): Promise<Tightening | undefined> {
  const row = await findSignalTuning(tx, key);
  return row && row.level > 0 ? { level: row.level, falseAlarms: row.falseAlarms } : undefined;
}

/**
 * Feedback on a task changed from `previous` to `useful`: a new "false alarm" counts one against the
 * task's key, taking one back un-counts it; the key's tightening level follows the count.
 */
export async function recordFalseAlarmFeedback(
  tx: Tx,
  task: TaskRow,
  previous: boolean | null,
  useful: boolean,
  rules: Rules,
  at: Date,
): Promise<void> {
  const delta = useful === false && previous !== false ? 1 : previous === false && useful ? -1 : 0;
  if (delta === 0 || task.productId === null || task.signal === REVIEW_SIGNAL) return;
  const key = { productId: task.productId, signal: task.signal, branchId: task.branchId };
  const falseAlarms = await addFalseAlarms(tx, key, delta, at);
  await updateTuningLevel(tx, key, tighteningFor(falseAlarms, rules).level, at);
}

export interface TuningView {
  productId: string;
  signal: string;
  /** null: the product judged across every branch. */
  branchId: string | null;
  falseAlarms: number;
  level: number;
  resetAt: string | null;
  resetBy: string | null;
  updatedAt: string;
}

const toView = (row: NonNullable<Awaited<ReturnType<typeof findSignalTuning>>>): TuningView => ({
  productId: row.productId,
  signal: row.signal,
  branchId: row.branchId,
  falseAlarms: row.falseAlarms,
  level: row.level,
  resetAt: row.resetAt?.toISOString() ?? null,
  resetBy: row.resetBy,
  updatedAt: row.updatedAt.toISOString(),
});

/** Keys with false alarms or a tightening, of the products the caller may see. */
export async function listTuning(
  ctx: EngineContext,
  actor: Actor,
  filter: { productId?: string },
): Promise<TuningView[]> {
  const person = requirePerson(actor);
  if (filter.productId) await findVisibleProduct(ctx.db, person, filter.productId);
  const departmentIds = visibleDepartmentIds(person);
  const rows = await listSignalTuning(ctx.db, {
    ...(filter.productId ? { productId: filter.productId } : {}),
    ...(departmentIds ? { departmentIds } : {}),
  });
  return rows.map(toView);
}

/** An admin puts a key back on the rule as written: its false alarms and tightening are cleared (audited). */
export async function resetTuning(
  ctx: EngineContext,
  actor: Actor,
  key: TuningResetInput,
): Promise<TuningView> {
  const admin = requireRole(actor, ROLES_THAT_MAY.resetSignalTuning, 'reset a false-alarm tightening');
  return ctx.db.transaction().execute(async (tx) => {
    await findVisibleProduct(tx, admin, key.productId);
    const before = await findSignalTuning(tx, key);
    const row = await resetSignalTuning(tx, key, admin.id, ctx.now());
    if (!row || !before) {
      throw new AppError(
        'SIGNAL_TUNING_NOT_FOUND',
        `No false alarms are recorded for ${key.signal} on this product ${key.branchId ? 'at this branch' : 'across the chain'}.`,
      );
    }
    await insertAudit(tx, {
      actorId: admin.id,
      action: 'signal_tuning.reset',
      entity: 'product',
      entityId: key.productId,
      data: {
        signal: key.signal,
        branchId: key.branchId,
        falseAlarms: before.falseAlarms,
        level: before.level,
      },
    });
    return toView(row);
  });
}

/** Tasks by signal and status, and their feedback, for `/metrics`. */
export async function signalMetrics(
  ctx: EngineContext,
): Promise<{ signal: string; status: string; tasks: number; useful: number; falseAlarms: number }[]> {
  return countTasksAndFeedbackBySignal(ctx.db);
}
