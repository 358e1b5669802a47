import type { Rules } from '../rules.js';

/**
 * A stricter threshold for one (product, signal, branch) key, earned by repeated "false alarm" feedback on
 * its tasks. Level 0 is the rule as written; each level multiplies the signal's significance by
 * `rules.falseAlarms.significanceFactor`.
 */
export interface Tightening {
  readonly level: number;
  /** False alarms counted on the key since an admin last reset it. */
  readonly falseAlarms: number;
}

/** The tightening a key has earned with `falseAlarms` false alarms: a level every `tightenAfter`, capped. */
export function tighteningFor(falseAlarms: number, rules: Rules): Tightening {
  const { tightenAfter, maxLevel } = rules.falseAlarms;
  const level = tightenAfter > 0 ? Math.min(maxLevel, Math.floor(falseAlarms / tightenAfter)) : 0;
  return { level: Math.max(0, level), falseAlarms };
}

/** `significance` made stricter by a key's tightening (unchanged without one). */
export function tightenedSignificance(
  significance: number,
  tightening: Tightening | undefined,
  rules: Rules,
): number {
  if (tightening === undefined || tightening.level <= 0) return significance;
  return significance * rules.falseAlarms.significanceFactor ** tightening.level;
}

/** A p-value as people read it: three significant digits, or "< 1e-12". */
export function formatPValue(p: number): string {
  if (p < 1e-12) return '< 1e-12';
  return p >= 0.001 ? String(Number(p.toPrecision(3))) : p.toExponential(2);
}

/** Thousands grouped as in English (`1,234`); one formatter, as each `toLocaleString` call builds its own. */
const GROUPED = new Intl.NumberFormat('en-US');

/** "a drop this large happens by chance about 1 time in 2,300". */
export function describeChance(p: number, what = 'a drop this large'): string {
  if (p >= 0.5) return `${what} is ordinary`;
  if (p < 1e-9) return `${what} practically never happens by chance`;
  const oneIn = Math.round(1 / p);
  return `${what} happens by chance about 1 time in ${GROUPED.format(oneIn)}`;
}
