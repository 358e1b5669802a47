import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';

/** Paths the dashboard never answers: the API, its docs, metrics and health keep their own 404s. */
const SERVER_PREFIXES = ['/api', '/docs', '/metrics', '/health'];

function isServerPath(path: string): boolean {
  return SERVER_PREFIXES.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
}

/**
 * Serves the built dashboard (services/web/dist) at `/`: hashed files under /assets/ cached for a year,
 * index.html never cached, and index.html for every other GET that looks like a page (the SPA's deep
 * links such as /tasks/:id), so a fresh load of a deep link works. Unknown /api, /docs, /metrics and
 * /health paths and missing files still get the JSON 404.
 */
export async function installDashboard(app: FastifyInstance, root: string): Promise<void> {
  if (!existsSync(join(root, 'index.html'))) {
    app.log.warn({ root }, 'dashboard build missing; run pnpm --filter @tower/web build');
    return;
  }
  // Vite's file names under assets/ carry a content hash: a changed file is a new name, so each may be
  // cached for good. A rebuild while the API runs is served at once (the wildcard reads the folder).
  await app.register(fastifyStatic, {
    root: join(root, 'assets'),
    prefix: '/assets/',
    index: false,
    cacheControl: false,
    setHeaders(reply, path) {
      // sendFile('index.html') below passes through here too: the page itself is never cached.
      const page = path.endsWith('index.html');
      reply.header('cache-control', page ? 'no-cache' : 'public, max-age=31536000, immutable');
    },
  });
  const page = { config: { public: true }, schema: { hide: true } };
  const sendIndex = (reply: FastifyReply) => reply.sendFile('index.html', root);
  app.get('/', page, async (_request, reply) => sendIndex(reply));
  app.get('/*', page, async (request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    // A file-like path (with an extension) that was not found among the files, or a server path: 404.
    if (isServerPath(decodeSafely(path)) || /\.[a-z0-9]+$/i.test(path)) return reply.callNotFound();
    return sendIndex(reply);
  });
}

function decodeSafely(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
