// `pnpm bench:alerts`: a seeded simulation of daily sales run through the pure sales_dip detectors, today's
// (before issue 9) and the new one, on the same data. It prints figures and asserts nothing.
//
// Each (product, branch) pair sells Poisson counts around a mean of 1, 2, 5, 10 or 40 units a day, with a
// weekend lift (Saturday and Sunday sell 1.5 × a weekday). Noise pairs run a year of evaluations with no
// change at all: every task they open is a false alarm. Drop pairs get a real drop of 30, 40 or 60 % lasting
// three weeks, starting on a random day; a drop is caught when a task opens within 28 days of its first day.
// Tasks follow the engine: a fired day opens a task when none is open, later fired days keep it open, and a
// clear day at least `autoResolveDays` after the last fired day resolves it.
//
//   BENCH_PAIRS=300      pairs per volume (noise) and per volume × drop (≥ 200)
//   BENCH_SEED=9         the seed
//   BENCH_SALES_DIP='{"persistenceDays":2}'   rules.salesDip overrides for the new detector (tuning)
//   BENCH_VOLUMES=2,10   only these volumes; BENCH_LEGACY=0 skips today's detector
import {
  DEFAULT_RULES,
  addDays,
  detectSalesDipRange,
  eachDay,
  weekday,
  type Detection,
  type Rules,
} from '@tower/domain';
import { WEEKEND_LIFT, dayMean, generator, poisson } from '../../support/simulate.js';
import { LEGACY_RULES, detectSalesDipLegacy } from './legacy-sales-dip.js';

const VOLUMES = (process.env.BENCH_VOLUMES ?? '1,2,5,10,40').split(',').map(Number);
const DROPS = [30, 40, 60];
const DROP_DAYS = 21;
const CATCH_WITHIN_DAYS = 28;
const PAIRS = Math.max(200, Number(process.env.BENCH_PAIRS ?? 300));
const SEED = Number(process.env.BENCH_SEED ?? 9);
/** History before the first evaluated day: enough for the longest window, its baseline and persistence. */
const WARM_UP_DAYS = 120;
const YEAR_START = '2025-01-01';
const EVALUATED_FROM = addDays(YEAR_START, WARM_UP_DAYS);
const EVALUATED_TO = addDays(EVALUATED_FROM, 364);

const DAYS = eachDay(YEAR_START, EVALUATED_TO);
const WEEKDAYS = DAYS.map(weekday);

/** Daily units of one pair; `drop` lowers the mean by `percent` on the days from `start` for `days`. */
function simulate(
  random: () => number,
  perDay: number,
  drop?: { start: number; percent: number },
): { date: string; units: number }[] {
  return DAYS.map((date, i) => {
    const dropped = drop && i >= drop.start && i < drop.start + DROP_DAYS ? 1 - drop.percent / 100 : 1;
    return { date, units: poisson(random, dayMean(perDay, WEEKDAYS[i]!) * dropped) };
  });
}

type Detector = (
  daily: { date: string; units: number }[],
  from: string,
  to: string,
) => readonly { readonly status: Detection['status'] }[];

const newDetector =
  (rules: Rules): Detector =>
  (daily, from, to) =>
    detectSalesDipRange({ daily, excludedDates: [], onSaleSince: YEAR_START }, from, to, rules);

const legacyDetector: Detector = (daily, from, to) => {
  // The old detector reads only the days it needs; hand it the same slice the engine would.
  const start = addDays(from, -(LEGACY_RULES.baselineWeeks * 7 + LEGACY_RULES.windowDays));
  const slice = daily.filter((d) => d.date >= start && d.date <= to);
  return eachDay(from, to).map((asOf) =>
    detectSalesDipLegacy({ asOf, daily: slice, excludedDates: [], onSaleSince: YEAR_START }, LEGACY_RULES),
  );
};

/** The days tasks open on, run through the engine's open / keep open / auto-resolve rules. */
function openings(
  detections: readonly { readonly status: Detection['status'] }[],
  from: string,
  autoResolveDays: number,
): number[] {
  const opened: number[] = [];
  let lastFired: number | undefined;
  detections.forEach((detection, day) => {
    if (detection.status === 'fired') {
      if (lastFired === undefined) opened.push(day);
      lastFired = day;
    } else if (
      detection.status === 'clear' &&
      lastFired !== undefined &&
      day - lastFired >= autoResolveDays
    ) {
      lastFired = undefined;
    }
  });
  void from;
  return opened;
}

interface Row {
  perDay: number;
  falsePerPairYear: number;
  caught: Record<number, { rate: number; medianDelay: number | null }>;
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

function measure(detector: Detector, autoResolveDays: number, seed: number): Row[] {
  return VOLUMES.map((perDay) => {
    const random = generator(seed * 1000 + perDay);
    let falseTasks = 0;
    for (let pair = 0; pair < PAIRS; pair++) {
      const daily = simulate(random, perDay);
      falseTasks += openings(
        detector(daily, EVALUATED_FROM, EVALUATED_TO),
        EVALUATED_FROM,
        autoResolveDays,
      ).length;
    }
    const caught: Row['caught'] = {};
    for (const percent of DROPS) {
      const dropRandom = generator(seed * 100_000 + perDay * 100 + percent);
      const delays: number[] = [];
      for (let pair = 0; pair < PAIRS; pair++) {
        const start = WARM_UP_DAYS + Math.floor(dropRandom() * (365 - CATCH_WITHIN_DAYS));
        const daily = simulate(dropRandom, perDay, { start, percent });
        const from = DAYS[start]!;
        const to = addDays(from, CATCH_WITHIN_DAYS - 1);
        const opened = openings(detector(daily, from, to), from, autoResolveDays);
        // Days of the drop seen when the task opened: 1 on its first day.
        if (opened.length > 0) delays.push(opened[0]! + 1);
      }
      caught[percent] = { rate: delays.length / PAIRS, medianDelay: median(delays) };
    }
    return { perDay, falsePerPairYear: falseTasks / PAIRS, caught };
  });
}

function printTable(title: string, rows: Row[]): void {
  console.log(`\n${title}`);
  const head = ['units/day', 'false tasks/pair-year', ...DROPS.map((d) => `−${d} %: caught · median delay`)];
  console.log(`| ${head.join(' | ')} |`);
  console.log(`| ${head.map(() => '---').join(' | ')} |`);
  for (const row of rows) {
    const cells = DROPS.map((d) => {
      const c = row.caught[d]!;
      return `${(c.rate * 100).toFixed(1)} % · ${c.medianDelay === null ? '—' : `${c.medianDelay} d`}`;
    });
    console.log(`| ${row.perDay} | ${row.falsePerPairYear.toFixed(3)} | ${cells.join(' | ')} |`);
  }
}

function checkTargets(rows: Row[]): string[] {
  const lines: string[] = [];
  if (!rows.some((r) => r.perDay === 10) || !rows.some((r) => r.perDay === 2)) return [];
  const worst = Math.max(...rows.map((r) => r.falsePerPairYear));
  lines.push(
    `${worst <= 0.2 ? 'met ' : 'MISSED'}  ≤ 0.2 false tasks per pair-year at every volume (worst ${worst.toFixed(3)})`,
  );
  const ten = rows.find((r) => r.perDay === 10)!.caught[40]!;
  lines.push(
    `${ten.rate >= 0.9 && ten.medianDelay !== null && ten.medianDelay <= 10 ? 'met ' : 'MISSED'}  10/day: ≥ 90 % of −40 % drops caught, median ≤ 10 days (${(ten.rate * 100).toFixed(1)} %, ${ten.medianDelay ?? '—'} days)`,
  );
  const two = rows.find((r) => r.perDay === 2)!.caught[60]!;
  lines.push(
    `${two.rate >= 0.6 ? 'met ' : 'MISSED'}  2/day: ≥ 60 % of −60 % drops caught within ${CATCH_WITHIN_DAYS} days (${(two.rate * 100).toFixed(1)} %)`,
  );
  return lines;
}

const started = performance.now();

console.log(
  `sales_dip simulation · seed ${SEED} · ${PAIRS} noise pairs per volume, ${PAIRS} drop pairs per volume × drop · ` +
    `weekend ×${WEEKEND_LIFT} · drops last ${DROP_DAYS} days, caught = a task opens within ${CATCH_WITHIN_DAYS} days; ` +
    'median delay = days of the drop seen when the task opened (1 = its first day)',
);
const RULES: Rules = {
  ...DEFAULT_RULES,
  salesDip: { ...DEFAULT_RULES.salesDip, ...(JSON.parse(process.env.BENCH_SALES_DIP ?? '{}') as object) },
};
if (process.env.BENCH_LEGACY !== '0') {
  const legacy = measure(legacyDetector, DEFAULT_RULES.autoResolveDays, SEED);
  printTable(
    `today's detector (before issue 9): drop ≥ ${LEGACY_RULES.dropPercent} % over ${LEGACY_RULES.windowDays} days vs the same weekdays of ${LEGACY_RULES.baselineWeeks} weeks, baseline ≥ ${LEGACY_RULES.minBaselineUnitsPerWeek}/week`,
    legacy,
  );
  for (const line of checkTargets(legacy)) console.log(`  ${line}`);
}
const s = RULES.salesDip;
const fresh = measure(newDetector(RULES), RULES.autoResolveDays, SEED);
printTable(
  `new detector (${process.env.BENCH_SALES_DIP ? `DEFAULT_RULES with ${process.env.BENCH_SALES_DIP}` : 'DEFAULT_RULES'}): drop ≥ ${s.dropPercent} % and one-sided p ≤ ${s.significance}; windows ${[s.windowDays, ...s.longWindowDays].join('/')} days ` +
    `(shortest expecting ≥ ${s.minExpectedUnits} units); ${s.baselineWeeks} baseline weeks; held ${s.persistenceDays} days; baseline ≥ ${s.minBaselineUnitsPerWeek}/week`,
  fresh,
);
for (const line of checkTargets(fresh)) console.log(`  ${line}`);
console.log(
  `\n${((performance.now() - started) / 1000).toFixed(1)} s in all (other helpers' work was running on the machine beside it)`,
);
