import type { FastifyInstance } from 'fastify';

/** `METHOD /path/:param` of every route the app registered that takes a request body (from its OpenAPI). */
export function routesWithBody(app: FastifyInstance): string[] {
  const document = app.swagger() as { paths?: Record<string, Record<string, { requestBody?: unknown }>> };
  const routes: string[] = [];
  for (const [path, operations] of Object.entries(document.paths ?? {})) {
    for (const [method, operation] of Object.entries(operations)) {
      if (operation.requestBody !== undefined) {
        routes.push(`${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`);
      }
    }
  }
  return routes.sort();
}

/** Does a request (`method`, concrete `url`) hit `route` (`METHOD /path/:param`)? */
export function hitsRoute(route: string, method: string, url: string): boolean {
  const [routeMethod, path] = route.split(' ') as [string, string];
  const pattern = new RegExp(`^${path.replace(/:\w+/g, '[^/]+')}$`);
  return routeMethod === method && pattern.test(url.split('?')[0]!);
}

/** The body routes whose bad input `bad-facts.int.test.ts` covers (it checks it covers each). */
export const FACT_ROUTES_WITH_BODY: readonly string[] = [
  'POST /api/ingest/sales',
  'POST /api/ingest/complaints',
  'POST /api/ingest/competitor-prices',
  'POST /api/ingest/cost-changes',
  'PUT /api/products/:id/targets',
  'PUT /api/calendar/days',
  'POST /api/tasks/:id/comments',
  'POST /api/tasks/:id/resolve',
  'POST /api/tasks/:id/feedback',
  'POST /api/silences',
];
