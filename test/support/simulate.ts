/** Seeded noise for simulations and scenarios: the same seed gives the same sales, run after run. */

/** mulberry32: a small seeded generator of uniforms in [0, 1). */
export function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A Poisson draw by multiplying uniforms, in chunks so that large means do not underflow e^−λ. */
export function poisson(random: () => number, mean: number): number {
  let count = 0;
  let remaining = mean;
  while (remaining > 0) {
    const step = Math.min(remaining, 30);
    remaining -= step;
    const limit = Math.exp(-step);
    let product = random();
    while (product > limit) {
      count++;
      product *= random();
    }
  }
  return count;
}

/** Saturday and Sunday sell this many times a weekday. */
export const WEEKEND_LIFT = 1.5;

/** The mean of a day with weekday `weekday` (0 = Sunday) for a pair averaging `perDay` over a week. */
export function dayMean(perDay: number, weekday: number): number {
  const weekdayMean = (7 * perDay) / (5 + 2 * WEEKEND_LIFT);
  return weekday === 0 || weekday === 6 ? weekdayMean * WEEKEND_LIFT : weekdayMean;
}
