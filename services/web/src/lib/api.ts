import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './api-schema';

const TOKEN_KEY = 'tower.token';

export function getToken(): string | null {
  return localStorage.getItem(TOKEN_KEY);
}
export function setToken(token: string | null): void {
  if (token) localStorage.setItem(TOKEN_KEY, token);
  else localStorage.removeItem(TOKEN_KEY);
}

/** Listeners told when the API refuses our token (expired, revoked): the app returns to the login page. */
const signedOutListeners = new Set<() => void>();
export function onSignedOut(listener: () => void): () => void {
  signedOutListeners.add(listener);
  return () => signedOutListeners.delete(listener);
}

const auth: Middleware = {
  onRequest({ request }) {
    const token = getToken();
    if (token) request.headers.set('Authorization', `Bearer ${token}`);
    return request;
  },
  onResponse({ response, request }) {
    if (response.status === 401 && !request.url.endsWith('/api/auth/login')) {
      setToken(null);
      signedOutListeners.forEach((l) => l());
    }
    return response;
  },
};

/** The one API client, typed from the OpenAPI document (src/lib/api-schema.d.ts, generated). */
export const api = createClient<paths>({ baseUrl: window.location.origin });
api.use(auth);

/** A reason a rule gave (422), a field that failed (400). */
export interface ApiReason {
  code: string;
  message: string;
  field?: string;
  term?: string;
  [key: string]: unknown;
}
/** A field the API refused (400): the English `message`, and `code`/`params` for words in any language. */
export interface ApiFieldProblem {
  field: string;
  message: string;
  code?: string;
  params?: Record<string, string | number>;
}

/** An error answer of the API: `{error, message, ...}` with its status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly body: Record<string, unknown>,
  ) {
    super(message);
  }
  get reasons(): ApiReason[] {
    return Array.isArray(this.body.reasons) ? (this.body.reasons as ApiReason[]) : [];
  }
  get fields(): ApiFieldProblem[] {
    return Array.isArray(this.body.fields) ? (this.body.fields as ApiFieldProblem[]) : [];
  }
  get allowed(): string[] {
    return Array.isArray(this.body.allowed) ? (this.body.allowed as string[]) : [];
  }
}

interface ApiResult {
  data?: unknown;
  error?: unknown;
  response: Response;
}
type DataOf<R> = R extends { data?: infer D } ? NonNullable<D> : never;

function toError(result: ApiResult): ApiError {
  const body =
    typeof result.error === 'object' && result.error !== null
      ? (result.error as Record<string, unknown>)
      : {};
  const code = typeof body.error === 'string' ? body.error : `http_${result.response.status}`;
  const message = typeof body.message === 'string' ? body.message : result.response.statusText;
  return new ApiError(result.response.status, code, message, body);
}

/** The answer's data, or an {@link ApiError} thrown. */
export function unwrap<R extends ApiResult>(result: R): DataOf<R> {
  if (!result.response.ok) throw toError(result);
  return result.data as DataOf<R>;
}

/** The JSON body a route takes, from the generated schema. */
export type RequestBody<P extends keyof paths, M extends 'post' | 'put'> = paths[P][M] extends {
  requestBody?: { content: { 'application/json': infer B } };
}
  ? B
  : never;

type Method = 'get' | 'post' | 'put' | 'delete';
type JsonOf<R> = R extends { content: { 'application/json': infer B } } ? B : never;
/** The JSON a route answers on success (its 200, 201 or 202 body), from the generated schema. */
export type ResponseOf<P extends keyof paths, M extends Method> = paths[P][M] extends {
  responses: infer R;
}
  ? R extends { 200: infer A }
    ? JsonOf<A>
    : R extends { 201: infer A }
      ? JsonOf<A>
      : R extends { 202: infer A }
        ? JsonOf<A>
        : never
  : never;
