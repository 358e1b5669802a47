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
}

export function distribution(values: readonly number[]): Distribution {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? Number.NaN,
  };
}

/** 45,000 */
export function int(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** Milliseconds, with one decimal under 10 ms. */
export function ms(n: number): string {
  if (!Number.isFinite(n)) return '–';
  return n < 10 ? `${n.toFixed(1)} ms` : `${int(n)} ms`;
}

export function describeDistribution(d: Distribution): string {
  return `p50 ${ms(d.p50)} · p95 ${ms(d.p95)} · p99 ${ms(d.p99)} · max ${ms(d.max)}`;
}

/** Progress lines go to stderr, so stdout holds the figures only. */
export function note(message: string): void {
  process.stderr.write(`  · ${message}\n`);
}
