import { listCalendarDays, upsertCalendarDays } from '@tower/db';
import { AppError, ROLES_THAT_MAY } from '@tower/domain';
import { requirePerson, hasAnyRole } from './access.js';
import { type Actor, type EngineContext } from './context.js';
import type { CalendarDayInput } from './ingest.inputs.js';

export async function setCalendarDays(ctx: EngineContext, actor: Actor, days: CalendarDayInput[]) {
  const person = requirePerson(actor);
  if (!hasAnyRole(person, ROLES_THAT_MAY.keepCalendar)) {
    throw new AppError('ROLE_REQUIRED', 'Only admins, directors and marketing managers keep the calendar.');
  }
  // The same date twice in one body: the last one wins, as it would across two calls.
  const byDate = new Map(days.map((day) => [day.date, day]));
  await upsertCalendarDays(ctx.db, [...byDate.values()]);
  return { saved: byDate.size };
}

export async function getCalendar(ctx: EngineContext, actor: Actor, year: number) {
  requirePerson(actor);
  return { items: await listCalendarDays(ctx.db, year) };
}
