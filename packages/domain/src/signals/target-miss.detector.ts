import type { Rules } from '../rules.js';
import { daysInMonth } from './dates.js';
import { clear, fired, insufficientData, round1 } from './detection.js';
import type { Detection, JsonValue } from './detection.js';

/** Input of {@link detectTargetMiss}: one product at one branch for one month. */
export interface TargetMissInput {
  /** The day judged (`YYYY-MM-DD`); days elapsed = its day of the month (the whole month once past it). */
  readonly asOf: string;
  /** `YYYY-MM`. */
  readonly month: string;
  /** The monthly target; a metric left out is not judged. Money in integer fen. */
  readonly target: { readonly units?: number; readonly revenueFen?: number };
  /** Sales from the 1st of `month` to `asOf`, both included. */
  readonly monthToDate: { readonly units: number; readonly revenueFen: number };
}

/**
 * `target_miss`: month-to-date units or revenue below `minPercentOfTarget` % of the target pro-rated by
 * days elapsed. Says nothing (`insufficient_data`) before day `minDaysIntoMonth` or without a target.
 */
export function detectTargetMiss(input: TargetMissInput, rules: Rules): Detection {
  const { minPercentOfTarget, minDaysIntoMonth } = rules.targetMiss;
  const monthDays = daysInMonth(input.month);
  const monthStart = `${input.month}-01`;
  if (input.asOf < monthStart) return insufficientData(`${input.month} has not started on ${input.asOf}`);
  const elapsed = input.asOf.slice(0, 7) === input.month ? Number(input.asOf.slice(8, 10)) : monthDays;
  if (elapsed < minDaysIntoMonth) {
    return insufficientData(
      `only ${elapsed} days into ${input.month}; the rule speaks from day ${minDaysIntoMonth}`,
    );
  }

  const metrics: Record<string, JsonValue> = {};
  const parts: string[] = [];
  let judged = 0;
  let missed = false;
  const judge = (name: 'units' | 'revenueFen', target: number | undefined, actual: number): void => {
    if (target === undefined || target <= 0) return;
    judged++;
    const proRated = (target * elapsed) / monthDays;
    // actual / proRated < min % ⇔ actual × 100 × monthDays < min × target × elapsed (exact in integers)
    const isMiss = actual * 100 * monthDays < minPercentOfTarget * target * elapsed;
    const percent = round1((actual / proRated) * 100);
    missed ||= isMiss;
    metrics[name] = {
      actual,
      target,
      proRated: Math.round(proRated),
      percentOfProRated: percent,
      missed: isMiss,
    };
    parts.push(
      `${name === 'units' ? 'units' : 'revenue (fen)'} ${actual} is ${percent} % of the pro-rated ${Math.round(proRated)}`,
    );
  };
  judge('units', input.target.units, input.monthToDate.units);
  judge('revenueFen', input.target.revenueFen, input.monthToDate.revenueFen);
  if (judged === 0) return insufficientData(`no units or revenue target for ${input.month}`);

  const evidence = {
    asOf: input.asOf,
    month: input.month,
    daysElapsed: elapsed,
    daysInMonth: monthDays,
    thresholdPercent: minPercentOfTarget,
    ...metrics,
    summary: `${parts.join('; ')} after ${elapsed} of ${monthDays} days of ${input.month} (threshold ${minPercentOfTarget} %)`,
  };
  return missed ? fired(evidence) : clear(evidence);
}
