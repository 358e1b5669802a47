import { addDays } from '@tower/domain';

export interface CalendarDay {
  date: string;
  kind: 'holiday' | 'workday' | 'promotion';
  name: string;
}

function span(from: string, days: number, kind: CalendarDay['kind'], name: string): CalendarDay[] {
  return Array.from({ length: days }, (_, i) => ({ date: addDays(from, i), kind, name }));
}

/**
 * China's public holidays of 2025–2026 as the State Council set them, with the weekend days worked
 * in exchange (调休), and the e-commerce peaks the clinics' channels follow (618, 双11, 双12).
 */
export const CHINA_CALENDAR: readonly CalendarDay[] = [
  ...span('2025-01-01', 1, 'holiday', '元旦'),
  ...span('2025-01-26', 1, 'workday', '春节调休'),
  ...span('2025-01-28', 8, 'holiday', '春节'),
  ...span('2025-02-08', 1, 'workday', '春节调休'),
  ...span('2025-04-04', 3, 'holiday', '清明节'),
  ...span('2025-04-27', 1, 'workday', '劳动节调休'),
  ...span('2025-05-01', 5, 'holiday', '劳动节'),
  ...span('2025-05-31', 3, 'holiday', '端午节'),
  ...span('2025-06-16', 3, 'promotion', '618'),
  ...span('2025-09-28', 1, 'workday', '国庆调休'),
  ...span('2025-10-01', 8, 'holiday', '国庆节、中秋节'),
  ...span('2025-10-11', 1, 'workday', '国庆调休'),
  ...span('2025-11-09', 3, 'promotion', '双11'),
  ...span('2025-12-12', 1, 'promotion', '双12'),
  ...span('2026-01-01', 3, 'holiday', '元旦'),
  ...span('2026-01-04', 1, 'workday', '元旦调休'),
  ...span('2026-02-14', 1, 'workday', '春节调休'),
  ...span('2026-02-15', 9, 'holiday', '春节'),
  ...span('2026-02-28', 1, 'workday', '春节调休'),
  ...span('2026-04-04', 3, 'holiday', '清明节'),
  ...span('2026-05-01', 5, 'holiday', '劳动节'),
  ...span('2026-05-09', 1, 'workday', '劳动节调休'),
  ...span('2026-06-16', 3, 'promotion', '618'),
  ...span('2026-06-19', 3, 'holiday', '端午节'),
  ...span('2026-09-20', 1, 'workday', '国庆调休'),
  ...span('2026-09-25', 3, 'holiday', '中秋节'),
  ...span('2026-10-01', 7, 'holiday', '国庆节'),
  ...span('2026-10-10', 1, 'workday', '国庆调休'),
  ...span('2026-11-09', 3, 'promotion', '双11'),
  ...span('2026-12-12', 1, 'promotion', '双12'),
];

const BY_DATE = new Map(CHINA_CALENDAR.map((d) => [d.date, d]));

export function calendarDay(date: string): CalendarDay | undefined {
  return BY_DATE.get(date);
}
