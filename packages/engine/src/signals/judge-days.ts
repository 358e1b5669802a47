import { isSilenced, lockOpenTask, type TaskKey, type TaskRow, type Tx } from '@tower/db';
import { addDays, canAutoResolve, eachDay, type Detection, type Rules, type Signal } from '@tower/domain';
import type { EngineContext } from '../context.js';
import { tryTaskEvent } from '../tasks/task-machine.js';
import { autoResolve } from './auto-resolve.js';
import { raiseSignal, type RaiseOutcome } from './raise-signal.js';

export type DayOutcome = RaiseOutcome | 'cleared' | 'quiet';

/**
 * Carries one key's detections over `days` (ascending data dates) to its tasks in one pass, exactly
 * as judging the days one by one in that order would: a fired day opens the key's task or adds the
 * day's evidence to it; a clear day auto-resolves the open task once it has been clear for
 * `rules.autoResolveDays` since it last fired (with `judgeWindow`, no day of that window may have
 * fired, judged from the data). The open task is read once and followed in memory; the database is
 * written only where something happens. Returns the outcome of the last day that did something.
 */
export async function judgeKeyOverDays(
  ctx: EngineContext,
  tx: Tx,
  key: TaskKey & { signal: Signal },
  days: readonly string[],
  detections: ReadonlyMap<string, Detection>,
  rules: Rules,
  judgeWindow: boolean,
  /** The key's open task, already locked by the caller (a product's evaluation locks them all at once). */
  known?: { readonly open: TaskRow | undefined },
): Promise<DayOutcome | undefined> {
  const judged = days.filter((day) => detections.has(day));
  if (judged.length === 0) return undefined;
  // Silences matter only to a fired day: a pass that fires nothing does not look.
  const fires = judged.some((day) => detections.get(day)!.status === 'fired');
  const silenced = fires && (await isSilenced(tx, key, ctx.now()));
  let open = known ? known.open : await lockOpenTask(tx, key);
  let last: DayOutcome = 'quiet';
  for (const day of judged) {
    const detection = detections.get(day)!;
    if (detection.status === 'fired') {
      if (open && !silenced) {
        const done = await tryTaskEvent(ctx, tx, open, {
          type: 'ADD_EVIDENCE',
          fact: { key, firedOn: day, evidence: detection.evidence },
        });
        if (done.outcome === 'applied') {
          open = done.task;
          last = done.recorded ? 'evidence_added' : 'already_recorded';
        }
        continue;
      }
      last = await raiseSignal(ctx, tx, { ...key, firedOn: day, evidence: detection.evidence }, rules);
      if (last === 'opened' || last === 'evidence_added') open = await lockOpenTask(tx, key);
      continue;
    }
    if (!open?.lastFiredOn) continue;
    if (!canAutoResolve({ signal: key.signal, detection, lastFiredOn: open.lastFiredOn, asOf: day }, rules))
      continue;
    if (
      judgeWindow &&
      eachDay(addDays(day, -(rules.autoResolveDays - 1)), day).some(
        (d) => detections.get(d)?.status === 'fired',
      )
    )
      continue;
    const resolved = await autoResolve(
      ctx,
      tx,
      open,
      `Auto-resolved: the condition has been clear since ${open.lastFiredOn} (${rules.autoResolveDays} days as of ${day}).`,
      day,
    );
    if (resolved) {
      open = undefined;
      last = 'cleared';
    }
  }
  return last;
}
