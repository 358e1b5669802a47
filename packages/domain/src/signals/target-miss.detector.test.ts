import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES } from '../rules.js';
import { detectTargetMiss } from './target-miss.detector.js';

describe('detectTargetMiss', () => {
  it('fires when units are under 70 % of the target pro-rated by days elapsed', () => {
    // 15 of 30 days → pro-rated 150 of 300; 100 is 66.7 %
    const detection = detectTargetMiss(
      {
        asOf: '2026-11-15',
        month: '2026-11',
        target: { units: 300 },
        monthToDate: { units: 100, revenueFen: 0 },
      },
      DEFAULT_RULES,
    );
    expect(detection).toMatchObject({
      status: 'fired',
      evidence: {
        daysElapsed: 15,
        daysInMonth: 30,
        units: { actual: 100, target: 300, proRated: 150, percentOfProRated: 66.7, missed: true },
      },
    });
    expect(detection.status === 'fired' && detection.evidence.summary).toBe(
      'units 100 is 66.7 % of the pro-rated 150 after 15 of 30 days of 2026-11 (threshold 70 %)',
    );
  });

  it('does not fire at exactly 70 % of the pro-rated target', () => {
    const detection = detectTargetMiss(
      {
        asOf: '2026-11-15',
        month: '2026-11',
        target: { units: 300 },
        monthToDate: { units: 105, revenueFen: 0 },
      },
      DEFAULT_RULES,
    );
    expect(detection.status).toBe('clear');
  });

  it('fires on revenue alone when units are on track', () => {
    const detection = detectTargetMiss(
      {
        asOf: '2026-11-10',
        month: '2026-11',
        target: { units: 30, revenueFen: 3_000_000 },
        monthToDate: { units: 10, revenueFen: 600_000 },
      },
      DEFAULT_RULES,
    );
    expect(detection).toMatchObject({
      status: 'fired',
      evidence: { units: { missed: false }, revenueFen: { missed: true, proRated: 1_000_000 } },
    });
  });

  it('says nothing in the first days of the month', () => {
    const detection = detectTargetMiss(
      {
        asOf: '2026-11-06',
        month: '2026-11',
        target: { units: 300 },
        monthToDate: { units: 0, revenueFen: 0 },
      },
      DEFAULT_RULES,
    );
    expect(detection.status).toBe('insufficient_data');
  });

  it('says nothing without a target', () => {
    const detection = detectTargetMiss(
      { asOf: '2026-11-20', month: '2026-11', target: {}, monthToDate: { units: 0, revenueFen: 0 } },
      DEFAULT_RULES,
    );
    expect(detection.status).toBe('insufficient_data');
  });

  it('judges a finished month against the whole target', () => {
    const detection = detectTargetMiss(
      {
        asOf: '2026-12-03',
        month: '2026-11',
        target: { units: 300 },
        monthToDate: { units: 200, revenueFen: 0 },
      },
      DEFAULT_RULES,
    );
    expect(detection).toMatchObject({
      status: 'fired',
      evidence: { daysElapsed: 30, units: { proRated: 300 } },
    });
  });
});

describe('detectTargetMiss in the first days of a month', () => {
  const nothingSold = (asOf: string) => ({
    asOf,
    month: '2026-11',
    target: { units: 300 },
    monthToDate: { units: 0, revenueFen: 0 },
  });

  it('says nothing before day minDaysIntoMonth, even with nothing sold, and speaks from that day', () => {
    const before = detectTargetMiss(nothingSold('2026-11-06'), DEFAULT_RULES);
    expect(before).toEqual({
      status: 'insufficient_data',
      reason: 'only 6 days into 2026-11; the rule speaks from day 7',
    });
    expect(detectTargetMiss(nothingSold('2026-11-07'), DEFAULT_RULES).status).toBe('fired');
  });

  it('the number of quiet days is a rule', () => {
    const rules = { ...DEFAULT_RULES, targetMiss: { ...DEFAULT_RULES.targetMiss, minDaysIntoMonth: 10 } };
    expect(detectTargetMiss(nothingSold('2026-11-09'), rules).status).toBe('insufficient_data');
    expect(detectTargetMiss(nothingSold('2026-11-10'), rules).status).toBe('fired');
  });
});
