import { lockOpenTask, type TaskRow, type Tx } from '@tower/db';
import { addDays, canAutoResolve, eachDay, type Detection, type Rules, type Signal } from '@tower/domain';
import type { EngineContext } from '../context.js';
import { tryTaskEvent } from '../tasks/task-machine.js';
import { raiseSignal, type RaiseOutcome } from './raise-signal.js';

/** Closes a task the system answered itself (decision keep), with a note saying why. */
export async function autoResolve(
  ctx: EngineContext,
  tx: Tx,
  task: TaskRow,
  note: string,
  asOf?: string,
): Promise<boolean> {
  const done = await tryTaskEvent(ctx, tx, task, {
    type: 'AUTO_RESOLVE',
    note,
    ...(asOf ? { asOf } : {}),
  });
  return done.outcome === 'applied';
}

/**
 * The condition behind an open task has cleared: auto-resolve it once it has stayed clear for
 * `rules.autoResolveDays` since it last fired, with a note saying so.
 */
async function clearSignal(
  ctx: EngineContext,
  tx: Tx,
  key: { productId: string; signal: Signal; branchId: string | null },
  detection: Detection,
  asOf: string,
  rules: Rules,
  detectOn?: (day: string) => Detection,
): Promise<boolean> {
  const task = await lockOpenTask(tx, key);
  if (!task || !task.lastFiredOn) return false;
  if (!canAutoResolve({ signal: key.signal, detection, lastFiredOn: task.lastFiredOn, asOf }, rules))
    return false;
  // Evaluations of a backfill run in any order: judge the whole window from the data itself, so a
  // late-evaluated fired day inside it keeps the task open instead of opening a second one later.
  if (detectOn) {
    const window = eachDay(addDays(asOf, -(rules.autoResolveDays - 1)), asOf);
    if (window.some((day) => detectOn(day).status === 'fired')) return false;
  }
  return autoResolve(
    ctx,
    tx,
    task,
    `Auto-resolved: the condition has been clear since ${task.lastFiredOn} (${rules.autoResolveDays} days as of ${asOf}).`,
    asOf,
  );
}

export async function handle(
  ctx: EngineContext,
  tx: Tx,
  key: { productId: string; signal: Signal; branchId: string | null },
  detection: Detection,
  asOf: string,
  rules: Rules,
  detectOn?: (day: string) => Detection,
): Promise<RaiseOutcome | 'cleared' | 'quiet'> {
  if (detection.status === 'fired')
    return raiseSignal(ctx, tx, { ...key, firedOn: asOf, evidence: detection.evidence }, rules);
  return (await clearSignal(ctx, tx, key, detection, asOf, rules, detectOn)) ? 'cleared' : 'quiet';
}
