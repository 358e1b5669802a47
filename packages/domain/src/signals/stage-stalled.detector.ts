import type { Rules } from '../rules.js';
import { PRE_LAUNCH_STAGES } from '../vocabulary.js';
import type { PreLaunchStage, Stage } from '../vocabulary.js';
import { daysBetween } from './dates.js';
import { clear, fired } from './detection.js';
import type { Detection } from './detection.js';

/** Input of {@link detectStageStalled}. */
export interface StageStalledInput {
  readonly stage: Stage;
  /** The day the product entered `stage` (`YYYY-MM-DD`). */
  readonly enteredAt: string;
  readonly asOf: string;
}

function isPreLaunchStage(stage: Stage): stage is PreLaunchStage {
  return (PRE_LAUNCH_STAGES as readonly Stage[]).includes(stage);
}

/**
 * `stage_stalled`: more than `rules.stageStalled.maxDays[stage]` days in a pre-launch stage. A product
 * on sale, retiring, retired or rejected is always clear.
 */
export function detectStageStalled(input: StageStalledInput, rules: Rules): Detection {
  const days = daysBetween(input.enteredAt, input.asOf);
  if (!isPreLaunchStage(input.stage)) {
    return clear({
      asOf: input.asOf,
      stage: input.stage,
      enteredAt: input.enteredAt,
      daysInStage: days,
      summary: `${input.stage} is not a pre-launch stage`,
    });
  }
  const maxDays = rules.stageStalled.maxDays[input.stage];
  const isStalled = days > maxDays;
  return (isStalled ? fired : clear)({
    asOf: input.asOf,
    stage: input.stage,
    enteredAt: input.enteredAt,
    daysInStage: days,
    maxDays,
    summary: `${days} days in ${input.stage} since ${input.enteredAt} (limit ${maxDays})`,
  });
}
