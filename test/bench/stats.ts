/** Nearest-rank percentile of an ascending array (`p` in 0..100). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export interface Distribution {
  readonly count: number;
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
  readonly max: number;
  /**
   * Set when some values were not observed before the wait ended (Infinity in the input): a
   * percentile that falls on them is only known to exceed this.
   */
  readonly censoredAbove?: number;
}

/** Percentiles of `values`; Infinity stands for "not seen within `censoredAbove`". */
export function distribution(values: readonly number[], censoredAbove?: number): Distribution {
  const sorted = [...values].sort((a, b) => a - b);
  const censored = censoredAbove !== undefined && sorted.some((v) => v === Infinity);
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? Number.NaN,
    ...(censored ? { censoredAbove } : {}),
  };
}

/** 45,000 */
export function int(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** Milliseconds, with one decimal under 10 ms. */
export function ms(n: number, censoredAbove?: number): string {
  if (n === Infinity && censoredAbove !== undefined) return `> ${ms(censoredAbove)}`;
  if (!Number.isFinite(n)) return '–';
  return n < 10 ? `${n.toFixed(1)} ms` : `${int(n)} ms`;
}

export function describeDistribution(d: Distribution): string {
  const at = (n: number) => ms(n, d.censoredAbove);
  return `p50 ${at(d.p50)} · p95 ${at(d.p95)} · p99 ${at(d.p99)} · max ${at(d.max)}`;
}

/** Progress lines go to stderr, so stdout holds the figures only. */
export function note(message: string): void {
  process.stderr.write(`  · ${message}\n`);
}
