import { describe, expect, it } from 'vitest';
import {
  binomialCdf,
  binomialUpperTail,
  logGamma,
  negativeBinomialCdf,
  poissonCdf,
  poissonUpperTail,
  regularizedGammaP,
  regularizedGammaQ,
} from './counts.stats.js';

/** ln Σ e^terms without overflow. */
function logSumExp(terms: number[]): number {
  const max = Math.max(...terms);
  return max + Math.log(terms.reduce((sum, t) => sum + Math.exp(t - max), 0));
}

/** ln k! by summation, independent of logGamma. */
function logFactorial(k: number): number {
  let sum = 0;
  for (let i = 2; i <= k; i++) sum += Math.log(i);
  return sum;
}

/** P(X ≤ k) for Poisson(mean) by direct summation of the terms in log space. */
function poissonCdfBySum(k: number, mean: number): number {
  const terms: number[] = [];
  for (let i = 0; i <= k; i++) terms.push(-mean + i * Math.log(mean) - logFactorial(i));
  return Math.exp(logSumExp(terms));
}

function logChoose(n: number, k: number): number {
  return logFactorial(n) - logFactorial(k) - logFactorial(n - k);
}

function binomialCdfBySum(k: number, n: number, p: number): number {
  const terms: number[] = [];
  for (let i = 0; i <= k; i++) terms.push(logChoose(n, i) + i * Math.log(p) + (n - i) * Math.log1p(-p));
  return Math.exp(logSumExp(terms));
}

/** Negative binomial with integer size r by summation: C(i + r − 1, i) q^r (1 − q)^i, q = r / (r + mean). */
function negativeBinomialCdfBySum(k: number, mean: number, r: number): number {
  const q = r / (r + mean);
  const terms: number[] = [];
  for (let i = 0; i <= k; i++) terms.push(logChoose(i + r - 1, i) + r * Math.log(q) + i * Math.log1p(-q));
  return Math.exp(logSumExp(terms));
}

const close = (actual: number, expected: number, relative = 1e-9) =>
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(relative * Math.abs(expected) + 1e-300);

describe('logGamma', () => {
  it('matches ln((n − 1)!) and Γ(1/2) = √π', () => {
    for (const n of [1, 2, 3, 10, 20, 50, 171]) expect(logGamma(n)).toBeCloseTo(logFactorial(n - 1), 10);
    close(logGamma(0.5), 0.5 * Math.log(Math.PI), 1e-12);
    close(logGamma(1e-3), Math.log(999.4237724845955), 1e-10);
  });

  it('refuses x ≤ 0', () => {
    expect(() => logGamma(0)).toThrow(RangeError);
  });
});

describe('regularised incomplete gamma', () => {
  it('P + Q = 1 on both sides of a + 1', () => {
    for (const [a, x] of [
      [0.5, 0.1],
      [3, 2],
      [3, 10],
      [50, 40],
      [50, 70],
    ] as const) {
      close(regularizedGammaP(a, x) + regularizedGammaQ(a, x), 1, 1e-12);
    }
  });

  it('P(1, x) = 1 − e^−x', () => {
    close(regularizedGammaP(1, 2), 1 - Math.exp(-2), 1e-12);
  });
});

describe('poissonCdf', () => {
  it('matches direct summation from tiny to large means', () => {
    for (const [k, mean] of [
      [0, 0.3],
      [3, 2],
      [5, 14],
      [42, 70],
      [49, 70],
      [900, 1000],
      [1100, 1000],
    ] as const) {
      close(poissonCdf(k, mean), poissonCdfBySum(k, mean), 1e-9);
    }
  });

  it('keeps its digits far in the tail, where a naive sum underflows', () => {
    // P(X ≤ 100 | 1000) ≈ 1e-276: e^−1000 alone is 0 in doubles.
    const p = poissonCdf(100, 1000);
    expect(p).toBeGreaterThan(0);
    close(Math.log(p), Math.log(poissonCdfBySum(100, 1000)), 1e-9);
  });

  it('edges: k < 0 is 0, mean 0 is 1, upper tail is the complement', () => {
    expect(poissonCdf(-1, 5)).toBe(0);
    expect(poissonCdf(3, 0)).toBe(1);
    close(poissonUpperTail(6, 4) + poissonCdf(5, 4), 1, 1e-12);
    expect(poissonUpperTail(0, 4)).toBe(1);
  });
});

describe('binomialCdf', () => {
  it('matches direct summation', () => {
    for (const [k, n, p] of [
      [0, 10, 0.3],
      [5, 61, 0.2],
      [30, 100, 0.5],
      [3, 1000, 0.001],
      [999, 1000, 0.999],
    ] as const) {
      close(binomialCdf(k, n, p), binomialCdfBySum(k, n, p), 1e-9);
    }
  });

  it('upper tail is the complement, edges are exact', () => {
    close(binomialUpperTail(4, 20, 0.1) + binomialCdf(3, 20, 0.1), 1, 1e-12);
    expect(binomialCdf(20, 20, 0.4)).toBe(1);
    expect(binomialUpperTail(21, 20, 0.4)).toBe(0);
    expect(binomialUpperTail(3, 3, 0)).toBe(0);
  });
});

describe('negativeBinomialCdf', () => {
  it('matches direct summation', () => {
    for (const [k, mean, r] of [
      [0, 3, 2],
      [5, 14, 56],
      [19, 28, 112],
      [42, 70, 560],
      [10, 50, 3],
    ] as const) {
      close(negativeBinomialCdf(k, mean, r), negativeBinomialCdfBySum(k, mean, r), 1e-9);
    }
  });

  it('tends to Poisson as the size grows, and is wider than Poisson for a small size', () => {
    close(negativeBinomialCdf(42, 70, 1e12), poissonCdf(42, 70), 1e-6);
    expect(negativeBinomialCdf(42, 70, 20)).toBeGreaterThan(poissonCdf(42, 70));
  });

  it('equals the conditional binomial test of two Poisson counts (size = the baseline count)', () => {
    // Window x against baseline B with exposure ratio μ/B: P(Bin(x + B, μ/(μ + B)) ≤ x).
    const [x, mu, baseline] = [5, 14, 56];
    close(
      negativeBinomialCdf(x, mu, baseline),
      binomialCdfBySum(x, x + baseline, mu / (mu + baseline)),
      1e-9,
    );
  });
});
