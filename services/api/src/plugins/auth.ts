import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '@tower/domain';
import { authenticate, requirePerson, type Actor, type EngineContext, type PersonActor } from '@tower/engine';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
  }
  interface FastifyContextConfig {
    /** No credentials needed (login, health, docs). */
    public?: boolean;
    /** API keys with this scope may call the route (people always may). */
    apiKeyScope?: string;
  }
}

export function bearerOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const [scheme, credential] = header.split(' ');
  return scheme?.toLowerCase() === 'bearer' && credential ? credential : undefined;
}

function decodedPath(url: string): string {
  const path = url.split('?')[0] ?? '';
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

function isProtected(path: string): boolean {
  return path.startsWith('/api/') || path === '/api';
}

/** Every /api route needs a bearer token unless its config says `public`; API keys only where scoped. */
export function installAuth(app: FastifyInstance, ctx: EngineContext): void {
  app.decorateRequest('actor', null);
  app.addHook('onRequest', async (request) => {
    const config = request.routeOptions.config;
    // Decide on the matched route pattern, never the raw URL: the router decodes `%61pi` to `api`.
    if (!isProtected(request.routeOptions.url ?? decodedPath(request.url)) || config.public) return;
    const credential = bearerOf(request);
    if (!credential)
      throw new AppError('AUTH_REQUIRED', 'Sign in first: send Authorization: Bearer <token>.');
    const actor = await authenticate(ctx, credential);
    if (!actor) throw new AppError('AUTH_REQUIRED', 'The token or key is unknown, expired or revoked.');
    if (actor.kind === 'api_key') {
      const scope = config.apiKeyScope;
      if (!scope || !actor.scopes.includes(scope)) {
        throw new AppError(
          'ROLE_REQUIRED',
          'An API key may only call the routes of its scopes (/api/ingest/*).',
        );
      }
    }
    request.actor = actor;
  });
}

/** The signed-in person of a request (after the auth hook); API keys are refused. */
export function personOf(request: FastifyRequest): PersonActor {
  return requirePerson(actorOf(request));
}

export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new AppError('AUTH_REQUIRED', 'Sign in first.');
  return request.actor;
}
