import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { Redis } from 'ioredis';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import type { Config, Logger } from '@tower/config';
import type { Db } from '@tower/db';
import { createEngineContext } from '@tower/engine';
import { installAuth } from './plugins/auth.js';
import { installBodyGuard } from './plugins/body-guard.js';
import { errorCatalogTable } from './error-catalog.js';
import { installDashboard } from './plugins/dashboard.js';
import { installErrorHandling } from './plugins/errors.js';
import { authRoutes } from './routes/auth.routes.js';
import { launchRoutes } from './routes/launch.routes.js';
import { orgRoutes } from './routes/org.routes.js';
import { peopleRoutes } from './routes/people.routes.js';
import { ingestRoutes } from './routes/ingest.routes.js';
import { importRoutes } from './routes/imports.routes.js';
import { productRoutes } from './routes/products.routes.js';
import { tuningRoutes } from './routes/tuning.routes.js';
import { registerSignalMetrics } from './signal-metrics.js';
import { taskRoutes } from './routes/tasks.routes.js';
import { silenceRoutes } from './routes/silences.routes.js';
import { calendarRoutes } from './routes/calendar.routes.js';
import { targetRoutes } from './routes/targets.routes.js';
import { reviewRoutes } from './routes/reviews.routes.js';
import { backlogRoutes } from './routes/backlog.routes.js';
import { rulesRoutes } from './routes/rules.routes.js';
import { salesRoutes } from './routes/sales.routes.js';
import { systemRoutes } from './routes/system.routes.js';

export interface AppDeps {
  readonly config: Config;
  readonly db: Db;
  readonly redis: Redis;
  readonly logger: Logger;
  /** The clock commands use; tests move it. */
  readonly now?: () => Date;
  /** The built dashboard (services/web/dist) to serve at `/`; none: the API alone. */
  readonly webRoot?: string;
}

/** Builds the HTTP API; never listens (main.ts does), so tests drive it with `inject` or `listen(0)`. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  // pino's Logger is a FastifyBaseLogger; typed so, Fastify's instance type matches its plugins'.
  const logger: FastifyBaseLogger = deps.logger;
  const app = Fastify({
    loggerInstance: logger,
    bodyLimit: deps.config.bodyLimitBytes,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w-]{1,64}$/.test(given) ? given : crypto.randomUUID();
    },
    requestIdHeader: false,
    trustProxy: deps.config.trustProxy,
  });
  const ctx = createEngineContext(deps.db, deps.now, deps.logger);

  installErrorHandling(app);
  installBodyGuard(app, { maxItems: deps.config.maxIngestRows });
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: { 'script-src': ["'self'"], 'style-src': ["'self'", 'https:', "'unsafe-inline'"] },
    },
  });
  await app.register(rateLimit, { global: false });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Product Tower API',
        version: '0.1.0',
        description: [
          'Product life cycles, signals and review tasks for a medical-aesthetics clinic chain.',
          'Every error body is `{error, message, ...}`; `error` is one of the wire strings below.',
          errorCatalogTable(),
        ].join('\n\n'),
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { docExpansion: 'list' } });

  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  registerSignalMetrics(registry, ctx);
  const duration = new Histogram({
    name: 'tower_http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  app.addHook('onResponse', async (request, reply) => {
    duration.observe(
      {
        method: request.method,
        route: request.routeOptions.url ?? 'unknown',
        status: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
  });
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  installAuth(app, ctx);
  systemRoutes(app, { db: deps.db, redis: deps.redis, registry });
  authRoutes(app, ctx, deps.config, deps.redis);
  orgRoutes(app, ctx);
  peopleRoutes(app, ctx, deps.config);
  productRoutes(app, ctx);
  launchRoutes(app, ctx);
  rulesRoutes(app, ctx);
  ingestRoutes(app, ctx, deps.config);
  taskRoutes(app, ctx);
  silenceRoutes(app, ctx);
  targetRoutes(app, ctx);
  calendarRoutes(app, ctx);
  tuningRoutes(app, ctx);
  reviewRoutes(app, ctx);
  backlogRoutes(app, { config: deps.config, db: deps.db });
  salesRoutes(app, ctx);
  if (deps.webRoot) await installDashboard(app, deps.webRoot);
  await importRoutes(app, ctx, deps.config);
  return app;
}
