import type { Rules } from '../rules.js';
import type { Signal } from '../vocabulary.js';
import { daysBetween } from './dates.js';

/** A value that survives `JSON.stringify`/`JSON.parse` unchanged. */
export type JsonValue =
  string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/**
 * The figures behind a detection, stored on the review task as they were when the detector ran.
 * Plain JSON, dates as `YYYY-MM-DD`; `summary` is one English sentence a manager reads first.
 */
export type Evidence = { readonly summary: string } & { readonly [key: string]: JsonValue };

/**
 * What a detector concluded.
 * - `fired`: the condition holds; open a task or add the evidence to the open one.
 * - `clear`: the condition was checked and does not hold; counts towards auto-resolving an open task.
 * - `insufficient_data`: the condition could not be judged (too little data, too early); says nothing
 *   either way, so it neither opens nor auto-resolves a task.
 */
export type Detection =
  | { readonly status: 'fired'; readonly evidence: Evidence }
  | { readonly status: 'clear'; readonly evidence?: Evidence }
  | { readonly status: 'insufficient_data'; readonly reason: string };

/** @internal */
export function fired(evidence: Evidence): Detection {
  return { status: 'fired', evidence };
}

/** @internal */
export function clear(evidence?: Evidence): Detection {
  return evidence === undefined ? { status: 'clear' } : { status: 'clear', evidence };
}

/** @internal */
export function insufficientData(reason: string): Detection {
  return { status: 'insufficient_data', reason };
}

/** What the engine needs to know about a signal's detector. */
export interface SignalDetectorInfo {
  /** The detector function's name in `@tower/domain`. */
  readonly detector: string;
  /** Whether a `clear` result on its own may auto-resolve an open task after `rules.autoResolveDays`. */
  readonly autoResolves: boolean;
  /** One English line for the rules screen. */
  readonly description: string;
}

/** One entry per signal: which detector judges it and whether a clear result may auto-resolve its task. */
export const SIGNAL_DETECTORS: Readonly<Record<Signal, SignalDetectorInfo>> = {
  sales_dip: {
    detector: 'detectSalesDip',
    autoResolves: true,
    description: "last window's units well below the same weekdays of the previous weeks",
  },
  target_miss: {
    detector: 'detectTargetMiss',
    autoResolves: true,
    description: 'month-to-date units or revenue below the pro-rated monthly target',
  },
  complaint_spike: {
    detector: 'detectComplaintSpike',
    autoResolves: true,
    description: 'many complaints in a few days, or a high complaint rate per 100 orders, at a branch',
  },
  severe_complaint: {
    detector: 'detectSevereComplaint',
    // One severe complaint is a case to close by hand; later quiet days do not answer it.
    autoResolves: false,
    description: 'a single complaint of a severe category (adverse reaction, medical dispute)',
  },
  margin_erosion: {
    detector: 'detectMarginErosion',
    autoResolves: true,
    description: 'realised average price below the floor, or a cost change that puts a price under it',
  },
  competitor_undercut: {
    detector: 'detectCompetitorUndercut',
    autoResolves: true,
    description: "a competitor's comparable price well below ours",
  },
  stage_stalled: {
    detector: 'detectStageStalled',
    autoResolves: true,
    description: 'a product too long in a pre-launch stage',
  },
  launch_item_overdue: {
    detector: 'detectLaunchItemOverdue',
    autoResolves: true,
    description: 'a launch checklist item past its due date',
  },
};

/** What {@link canAutoResolve} needs to know. */
export interface AutoResolveInput {
  readonly signal: Signal;
  /** The latest detection for the task's (product, signal, branch). */
  readonly detection: Detection;
  /** The last day the signal fired for this task (`YYYY-MM-DD`). */
  readonly lastFiredOn: string;
  /** The day the detection was made for (`YYYY-MM-DD`), not the wall clock. */
  readonly asOf: string;
}

/**
 * True when an open task may be auto-resolved: its signal allows it, the latest detection is `clear`
 * (not merely `insufficient_data`) and at least `rules.autoResolveDays` days have passed since it last fired.
 */
export function canAutoResolve(input: AutoResolveInput, rules: Rules): boolean {
  if (!SIGNAL_DETECTORS[input.signal].autoResolves) return false;
  if (input.detection.status !== 'clear') return false;
  return daysBetween(input.lastFiredOn, input.asOf) >= rules.autoResolveDays;
}

/** @internal One decimal place, for percentages shown to people. */
export function round1(value: number): number {
  return Math.round(value * 10) / 10;
}

/** @internal Guards threshold comparisons on fractions against float noise (exactly 30 % must count as 30 %). */
export const EPSILON = 1e-9;
