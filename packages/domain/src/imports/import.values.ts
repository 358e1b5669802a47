/**
 * Cell values of spreadsheet exports → the values Product Tower stores. Pure string arithmetic: money
 * never passes through a floating-point number, dates never through a time zone.
 */

import { worded, type ImportProblemCode, type ProblemParams, type WordedProblem } from './import.problems.js';

export type Parsed<T> = { ok: true; value: T } | ({ ok: false } & WordedProblem);

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const bad = <T>(code: ImportProblemCode, params?: ProblemParams): Parsed<T> => ({
  ok: false,
  ...worded(code, params),
});

/** Largest amount the system stores: 1,000,000,000.00 yuan. */
export const MAX_FEN = 100_000_000_000;
export const MAX_COUNT = 10_000_000;

/** Days between 1899-12-30 (Excel's day 0, counting its 1900 leap-year bug) and 1970-01-01. */
const EXCEL_EPOCH_OFFSET = 25_569;
const FIRST_YEAR = 2000;
const LAST_YEAR = 2100;
/** Excel serials of 2000-01-01 and 2100-12-31: the range read as dates. */
const FIRST_SERIAL = 36_526;
const LAST_SERIAL = 73_415;

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** A real calendar day from its parts, or undefined (2026-02-30 is not one). */
export function calendarDay(year: number, month: number, day: number): string | undefined {
  if (year < FIRST_YEAR || year > LAST_YEAR || month < 1 || month > 12 || day < 1) return undefined;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > daysInMonth) return undefined;
  return `${year}-${pad2(month)}-${pad2(day)}`;
}

/** The calendar day of an Excel serial date (46329 → 2026-11-03); a time-of-day fraction is dropped. */
export function excelSerialToDay(serial: number): string | undefined {
  if (!Number.isFinite(serial) || serial < FIRST_SERIAL || serial >= LAST_SERIAL + 1) return undefined;
  const days = Math.floor(serial) - EXCEL_EPOCH_OFFSET;
  return new Date(days * 86_400_000).toISOString().slice(0, 10);
}

const DAY_SEPARATED =
  /^(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})(?:(?:\s+|T)(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?$/;
const DAY_CHINESE =
  /^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?(?:\s*(\d{1,2})[:：时](\d{2})(?:[:：分](\d{2})秒?)?)?$/;
const DAY_COMPACT = /^(\d{4})(\d{2})(\d{2})$/;
const SERIAL = /^\d{5}(?:\.\d+)?$/;

interface DayTime {
  day: string;
  time: string | undefined;
}

function parseDayTime(raw: string): Parsed<DayTime> {
  const text = raw.trim();
  if (text === '') return bad('EMPTY');
  const match = DAY_SEPARATED.exec(text) ?? DAY_CHINESE.exec(text) ?? DAY_COMPACT.exec(text);
  if (match) {
    const day = calendarDay(Number(match[1]), Number(match[2]), Number(match[3]));
    if (!day) return bad('DAY_OUT_OF_RANGE', { from: FIRST_YEAR, to: LAST_YEAR });
    if (match[4] === undefined) return ok({ day, time: undefined });
    const [h, m, s] = [Number(match[4]), Number(match[5]), Number(match[6] ?? 0)];
    if (h > 23 || m > 59 || s > 59) return bad('TIME_INVALID');
    return ok({ day, time: `${pad2(h)}:${pad2(m)}:${pad2(s)}` });
  }
  if (SERIAL.test(text)) {
    const serial = Number(text);
    const day = excelSerialToDay(serial);
    if (!day) return bad('DAY_UNREADABLE');
    // The fraction of an Excel serial is the time of day.
    const seconds = Math.round((serial - Math.floor(serial)) * 86_400);
    if (seconds === 0 || seconds >= 86_400) return ok({ day, time: undefined });
    const time = `${pad2(Math.floor(seconds / 3600))}:${pad2(Math.floor((seconds % 3600) / 60))}:${pad2(seconds % 60)}`;
    return ok({ day, time });
  }
  return bad('DAY_UNREADABLE');
}

/** 2026/11/3, 2026-11-03, 2026.11.3, 2026年11月3日, 20261103 or an Excel serial → `2026-11-03`. */
export function parseDay(raw: string): Parsed<string> {
  const parsed = parseDayTime(raw);
  return parsed.ok ? ok(parsed.value.day) : parsed;
}

/**
 * An instant: an ISO 8601 timestamp with its offset as given, or a day with an optional time of day
 * read as Asia/Shanghai wall-clock time (`2026-11-03 14:20` → `2026-11-03T14:20:00+08:00`).
 */
export function parseInstant(raw: string): Parsed<string> {
  const text = raw.trim();
  const iso = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i.exec(text);
  if (iso) {
    const day = calendarDay(Number(iso[1]), Number(iso[2]), Number(iso[3]));
    if (!day || Number(iso[4]) > 23 || Number(iso[5]) > 59 || Number(iso[6] ?? 0) > 59)
      return bad('INSTANT_INVALID');
    return ok(`${day}T${iso[4]}:${iso[5]}:${iso[6] ?? '00'}${iso[8]!.toUpperCase()}`);
  }
  const parsed = parseDayTime(text);
  if (!parsed.ok) return parsed;
  return ok(`${parsed.value.day}T${parsed.value.time ?? '00:00:00'}+08:00`);
}

/** 2026-11, 2026/11, 2026年11月, or any day of the month → `2026-11`. */
export function parseMonth(raw: string): Parsed<string> {
  const text = raw.trim();
  const match = /^(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*月?$/.exec(text);
  if (match) {
    const day = calendarDay(Number(match[1]), Number(match[2]), 1);
    return day ? ok(day.slice(0, 7)) : bad('MONTH_UNREADABLE');
  }
  const day = parseDay(text);
  return day.ok ? ok(day.value.slice(0, 7)) : bad('MONTH_UNREADABLE');
}

/** A number as most exports write it: digits, perhaps a point and more digits. */
const BARE_NUMBER = /^\d+(?:\.\d*)?$/;

/** The number of a cell without currency marks, units or thousands separators. */
function plainNumber(raw: string): string {
  // Most cells are bare numbers, and a million-row import reads four of them a row.
  if (BARE_NUMBER.test(raw)) return raw;
  return raw
    .trim()
    .replace(/^[¥￥]\s*/, '')
    .replace(/\s*(?:元|RMB|CNY)$/i, '')
    .replace(/(\d),(?=\d{3}(?:\D|$))/g, '$1');
}

/**
 * Yuan as written (`1,980.50`, `¥1980.5`, `1980`, `1980.50元`) → fen, exactly: the digits are shifted
 * two places as text, never multiplied as a float. More than two decimals are refused unless zeros.
 */
export function yuanToFen(raw: string, options: { positive?: boolean } = {}): Parsed<number> {
  const text = plainNumber(raw);
  if (text === '') return bad('EMPTY');
  if (text.startsWith('-')) return bad('NEGATIVE');
  const match = /^(\d*)(?:\.(\d*))?$/.exec(text);
  if (!match || (match[1] === '' && (match[2] ?? '') === '')) return bad('NOT_YUAN');
  const whole = match[1] ?? '';
  const fraction = match[2] ?? '';
  if (/[1-9]/.test(fraction.slice(2))) return bad('TOO_MANY_DECIMALS');
  const digits = `${whole}${fraction.slice(0, 2).padEnd(2, '0')}`.replace(/^0+(?=\d)/, '');
  if (digits.length > String(MAX_FEN).length || Number(digits) > MAX_FEN) return bad('YUAN_TOO_LARGE');
  const fen = Number(digits);
  if (options.positive && fen === 0) return bad('NOT_POSITIVE');
  return ok(fen);
}

/** A whole count (`1,234`, `12`, `12.0`) from 0 to 10,000,000. */
export function parseCount(raw: string): Parsed<number> {
  const text = plainNumber(raw);
  if (text === '') return bad('EMPTY');
  if (text.startsWith('-')) return bad('NEGATIVE');
  const match = /^(\d+)(?:\.(0*))?$/.exec(text);
  if (!match) return bad('NOT_WHOLE');
  const value = Number(match[1]);
  if (value > MAX_COUNT) return bad('COUNT_TOO_LARGE', { max: MAX_COUNT.toLocaleString('en') });
  return ok(value);
}
