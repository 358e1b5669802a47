import { AppError } from '../errors.js';
import { addDays } from '../signals/dates.js';
import { shanghaiDay } from '../display.js';

/** A calendar quarter of the clinics' calendar (Asia/Shanghai), e.g. `2026-Q3` = 1 Jul–30 Sep 2026. */
export interface Quarter {
  readonly id: string;
  readonly year: number;
  readonly q: 1 | 2 | 3 | 4;
  /** First day, `YYYY-MM-DD`. */
  readonly from: string;
  /** Last day, `YYYY-MM-DD`. */
  readonly to: string;
  /** First days of its three months. */
  readonly months: readonly [string, string, string];
}

export const QUARTER_PATTERN = '^\\d{4}-Q[1-4]$';

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

export function quarter(year: number, q: 1 | 2 | 3 | 4): Quarter {
  const firstMonth = (q - 1) * 3 + 1;
  const months = [0, 1, 2].map((i) => `${year}-${pad(firstMonth + i)}-01`) as [string, string, string];
  const next = q === 4 ? `${year + 1}-01-01` : `${year}-${pad(firstMonth + 3)}-01`;
  return { id: `${year}-Q${q}`, year, q, from: months[0], to: addDays(next, -1), months };
}

/** `2026-Q3` → the quarter; throws INVALID_INPUT for anything else. */
export function parseQuarter(id: string): Quarter {
  const match = /^(\d{4})-Q([1-4])$/.exec(id);
  if (!match) {
    throw new AppError('INVALID_INPUT', `"${id}" is not a quarter like 2026-Q3.`, {
      fields: [{ field: '/quarter', message: 'must look like 2026-Q3' }],
    });
  }
  return quarter(Number(match[1]), Number(match[2]) as 1 | 2 | 3 | 4);
}

/** The quarter a `YYYY-MM-DD` day falls in. */
export function quarterOfDay(day: string): Quarter {
  const month = Number(day.slice(5, 7));
  return quarter(Number(day.slice(0, 4)), (Math.floor((month - 1) / 3) + 1) as 1 | 2 | 3 | 4);
}

export function previousQuarter(of: Quarter): Quarter {
  return of.q === 1 ? quarter(of.year - 1, 4) : quarter(of.year, (of.q - 1) as 1 | 2 | 3);
}

export function sameQuarterLastYear(of: Quarter): Quarter {
  return quarter(of.year - 1, of.q);
}

/**
 * The last complete quarter before the Asia/Shanghai day of `at`: what the 09:00 run on 1 Jan/Apr/Jul/Oct
 * reviews (1 Jan 2027 09:00 Shanghai is 01:00 UTC the same day; it reviews 2026-Q4).
 */
export function quarterJustEnded(at: Date): Quarter {
  return previousQuarter(quarterOfDay(shanghaiDay(at)));
}
