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

/** Days since 1970-01-01 of each date seen, and back: evaluations turn the same few thousand days over and over. */
const dayNumbers = new Map<string, number>();
const isoDays = new Map<number, IsoDate>();
/** Bounds the caches (about a century of days) so odd input cannot grow them without end. */
const CACHE_LIMIT = 40_000;

function lengthOfMonth(year: number, month: number): number {
  return month === 2
    ? year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
      ? 29
      : 28
    : [4, 6, 9, 11].includes(month)
      ? 30
      : 31;
}

/** The day number of a real `YYYY-MM-DD` day, or undefined. */
function parseDay(value: string): number | undefined {
  const cached = dayNumbers.get(value);
  if (cached !== undefined) return cached;
  const match = ISO_DATE.exec(value);
  if (!match) return undefined;
  const y = Number(match[1]);
  const m = Number(match[2]);
  const d = Number(match[3]);
  if (m < 1 || m > 12 || d < 1 || d > lengthOfMonth(y, m)) return undefined;
  const day = Date.UTC(y, m - 1, d) / DAY_MS;
  // Date.UTC maps years 0–99 to 1900–1999: such a string is not the day it names.
  if (y < 100) return undefined;
  if (dayNumbers.size < CACHE_LIMIT) dayNumbers.set(value, day);
  return day;
}

/** True when `value` is a real `YYYY-MM-DD` calendar day (`2026-02-30` is not). */
export function isIsoDate(value: string): boolean {
  return parseDay(value) !== undefined;
}

/** Days since 1970-01-01 of `date`. Throws `INVALID_DATE` on a malformed date. */
export function toDayNumber(date: IsoDate): number {
  const day = parseDay(date);
  if (day === undefined) {
    throw new AppError('INVALID_DATE', `not a YYYY-MM-DD date: "${date}"`, { date });
  }
  return day;
}

/** The `YYYY-MM-DD` of a day number (days since 1970-01-01). */
export function fromDayNumber(day: number): IsoDate {
  const cached = isoDays.get(day);
  if (cached !== undefined) return cached;
  const iso = new Date(day * DAY_MS).toISOString().slice(0, 10);
  if (isoDays.size < CACHE_LIMIT) isoDays.set(day, iso);
  return iso;
}

function toUtcMs(date: IsoDate): number {
  return toDayNumber(date) * DAY_MS;
}

/** `date` moved by `days` calendar days (negative goes back). Throws `INVALID_DATE` on a malformed date. */
export function addDays(date: IsoDate, days: number): IsoDate {
  return fromDayNumber(toDayNumber(date) + days);
}

/** Whole days from `from` to `to`: `daysBetween('2026-11-01', '2026-11-08') === 7`; negative when `to` is earlier. */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return toDayNumber(to) - toDayNumber(from);
}

/** Day of the week, 0 = Sunday … 6 = Saturday (as `Date#getUTCDay`). */
export function weekday(date: IsoDate): number {
  return new Date(toUtcMs(date)).getUTCDay();
}

/** Every day from `from` to `to`, both included, in order; empty when `to` is before `from`. */
export function eachDay(from: IsoDate, to: IsoDate): IsoDate[] {
  const days: IsoDate[] = [];
  const end = toDayNumber(to);
  for (let day = toDayNumber(from); day <= end; day++) days.push(fromDayNumber(day));
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
