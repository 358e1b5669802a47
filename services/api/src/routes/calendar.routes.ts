import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { CalendarDaysBody, getCalendar, setCalendarDays, type EngineContext } from '@tower/engine';
import { actorOf } from '../plugins/auth.js';
import { replies } from '../schemas.js';
import { CalendarDayOut, Items } from '../responses.js';

const tags = ['facts'];

export function calendarRoutes(instance: FastifyInstance, ctx: EngineContext): void {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  app.put(
    '/api/calendar/days',
    {
      schema: {
        tags,
        summary:
          'Holidays, 调休 workdays and promotion days (holidays and promotions are left out of baselines)',
        body: CalendarDaysBody,
        response: replies(
          { 200: Type.Object({ saved: Type.Integer() }, { additionalProperties: true }) },
          [400],
        ),
      },
    },
    async (request) => setCalendarDays(ctx, actorOf(request), request.body.days),
  );
  app.get(
    '/api/calendar',
    {
      schema: {
        tags,
        summary: 'Calendar days of a year',
        querystring: Type.Object(
          { year: Type.Integer({ minimum: 2000, maximum: 2100 }) },
          { additionalProperties: false },
        ),
        response: replies({ 200: Items(CalendarDayOut) }, [400]),
      },
    },
    async (request) => getCalendar(ctx, actorOf(request), request.query.year),
  );
}
