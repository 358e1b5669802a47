/**
 * Calendar-day arithmetic on `YYYY-MM-DD` strings.
 *
 * A date here is a day on the clinic's calendar (Asia/Shanghai), not an instant: the arithmetic runs on
 * UTC midnights so that no host time zone or daylight-saving shift can move a day.
 */
import { AppError } from '../errors.js';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** A `YYYY-MM-DD` calendar day. */
export type IsoDate = string;

/** True when `value` is a real `YYYY-MM-DD` calendar day (`2026-02-30` is not). */
export function isIsoDate(value: string): boolean {
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const [, y, m, d] = match;
  const time = Date.UTC(Number(y), Number(m) - 1, Number(d));
  return new Date(time).toISOString().slice(0, 10) === value;
}

function toUtcMs(date: IsoDate): number {
  if (!isIsoDate(date)) {
    throw new AppError('INVALID_DATE', `not a YYYY-MM-DD date: "${date}"`, { date });
  }
  return Date.parse(`${date}T00:00:00Z`);
}

function fromUtcMs(ms: number): IsoDate {
  return new Date(ms).toISOString().slice(0, 10);
}

/** `date` moved by `days` calendar days (negative goes back). Throws `INVALID_DATE` on a malformed date. */
export function addDays(date: IsoDate, days: number): IsoDate {
  return fromUtcMs(toUtcMs(date) + days * DAY_MS);
}

/** Whole days from `from` to `to`: `daysBetween('2026-11-01', '2026-11-08') === 7`; negative when `to` is earlier. */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return Math.round((toUtcMs(to) - toUtcMs(from)) / DAY_MS);
}

/** Day of the week, 0 = Sunday … 6 = Saturday (as `Date#getUTCDay`). */
export function weekday(date: IsoDate): number {
  return new Date(toUtcMs(date)).getUTCDay();
}

/** Every day from `from` to `to`, both included, in order; empty when `to` is before `from`. */
export function eachDay(from: IsoDate, to: IsoDate): IsoDate[] {
  const days: IsoDate[] = [];
  const end = toUtcMs(to);
  for (let ms = toUtcMs(from); ms <= end; ms += DAY_MS) days.push(fromUtcMs(ms));
  return days;
}

/** Number of days in a `YYYY-MM` month (February follows leap years). */
export function daysInMonth(month: string): number {
  const first = `${month}-01`;
  const [y, m] = month.split('-').map(Number);
  if (!isIsoDate(first) || y === undefined || m === undefined) {
    throw new AppError('INVALID_DATE', `not a YYYY-MM month: "${month}"`, { month });
  }
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}
