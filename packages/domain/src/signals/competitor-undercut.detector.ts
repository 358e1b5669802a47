import type { Rules } from '../rules.js';
import { clear, fired, insufficientData, round1 } from './detection.js';
import type { Detection } from './detection.js';

/** One competitor price observation, in fen. */
export interface CompetitorObservation {
  readonly competitor: string;
  readonly priceFen: number;
  /** `YYYY-MM-DD` (or an ISO timestamp; compared as text, so use one form per product). */
  readonly observedAt: string;
  readonly platform?: string;
}

/** Input of {@link detectCompetitorUndercut}. */
export interface CompetitorUndercutInput {
  /** Our comparable price in fen (the list price unless a closer match is known). */
  readonly ourPriceFen: number;
  readonly observations: readonly CompetitorObservation[];
}

/**
 * `competitor_undercut`: a competitor's current price is at least `undercutPercent` below ours.
 * Only the latest observation per (competitor, platform) counts: a competitor who raised the price again
 * no longer undercuts. No observations → `insufficient_data`.
 */
export function detectCompetitorUndercut(input: CompetitorUndercutInput, rules: Rules): Detection {
  const { undercutPercent } = rules.competitorUndercut;
  if (input.observations.length === 0) return insufficientData('no competitor price observations');
  if (input.ourPriceFen <= 0) return insufficientData('our comparable price is unknown');

  const latest = new Map<string, CompetitorObservation>();
  for (const o of input.observations) {
    const key = JSON.stringify([o.competitor, o.platform ?? null]);
    const seen = latest.get(key);
    if (seen === undefined || o.observedAt > seen.observedAt) latest.set(key, o);
  }
  const current = [...latest.values()].sort(
    (a, b) => a.priceFen - b.priceFen || a.competitor.localeCompare(b.competitor),
  );
  // (ours − theirs) / ours ≥ percent ⇔ theirs × 100 ≤ ours × (100 − percent), exact in integers
  const undercuts = current.filter((o) => o.priceFen * 100 <= input.ourPriceFen * (100 - undercutPercent));
  const describe = (o: CompetitorObservation) => ({
    competitor: o.competitor,
    ...(o.platform === undefined ? {} : { platform: o.platform }),
    priceFen: o.priceFen,
    observedAt: o.observedAt,
    belowPercent: round1(((input.ourPriceFen - o.priceFen) / input.ourPriceFen) * 100),
  });
  const evidence = {
    ourPriceFen: input.ourPriceFen,
    thresholdPercent: undercutPercent,
    undercuts: undercuts.map(describe),
    competitorsCompared: current.length,
    summary:
      undercuts.length > 0
        ? `${undercuts.length} competitor price(s) at least ${undercutPercent} % below our ${input.ourPriceFen} fen: ` +
          undercuts
            .map(
              (o) =>
                `${o.competitor}${o.platform ? ` (${o.platform})` : ''} ${o.priceFen} fen on ${o.observedAt}`,
            )
            .join(', ')
        : `no current competitor price is ${undercutPercent} % or more below our ${input.ourPriceFen} fen (${current.length} compared)`,
  };
  return undercuts.length > 0 ? fired(evidence) : clear(evidence);
}
