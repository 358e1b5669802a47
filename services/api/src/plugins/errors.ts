import { Ajv, type ErrorObject } from 'ajv';
import * as ajvFormats from 'ajv-formats';
import type { FastifyError, FastifyInstance } from 'fastify';
import {
  AppError,
  ERROR_CODES,
  isAppError,
  type ErrorCode,
  type FieldProblemCode,
  type FieldProblemParams,
} from '@tower/domain';
import { MAX_PROBLEMS_NAMED, problemsMessage, type FieldProblem } from './body-guard.js';

// ajv-formats is CommonJS: under ESM its function sits on `default` (twice wrapped, depending on the loader).
type AddFormats = (ajv: Ajv) => Ajv;
const formatsModule = ajvFormats as unknown as { default: AddFormats | { default: AddFormats } };
const addFormats: AddFormats =
  typeof formatsModule.default === 'function' ? formatsModule.default : formatsModule.default.default;

function makeAjv(coerceTypes: boolean | 'array'): Ajv {
  const ajv = new Ajv({
    allErrors: true,
    // Unknown properties are refused, not silently stripped (STACK.md trap 3).
    removeAdditional: false,
    useDefaults: true,
    coerceTypes,
    strict: false,
  });
  addFormats(ajv);
  // RFC 3339 allows what Postgres cannot store: year 0000 and offsets of 16 hours or more.
  const unstorable = { date: /^0000-/, 'date-time': /^0000-|[+-](?:1[6-9]|2\d)(?::?\d\d)?$/ } as const;
  for (const [name, refused] of Object.entries(unstorable)) {
    const base = ajv.formats[name] as {
      validate: (s: string) => boolean;
      compare: (a: string, b: string) => number | undefined;
    };
    ajv.addFormat(name, {
      type: 'string',
      // One parse of instants for every route: what JavaScript cannot read as a Date (a leap second,
      // `…T23:59:60Z`) is refused here with a 400, never left for a command to trip over.
      validate: (s) => base.validate(s) && !refused.test(s) && Number.isFinite(Date.parse(s)),
      compare: base.compare,
    });
  }
  return ajv;
}

function fieldOf(error: ErrorObject, part: string): string {
  const params = error.params as Record<string, unknown>;
  const base = error.instancePath;
  if (error.keyword === 'required') return `${base}/${String(params.missingProperty)}`;
  if (error.keyword === 'additionalProperties') return `${base}/${String(params.additionalProperty)}`;
  return base || (part === 'body' ? '/' : `/${part}`);
}

function messageOf(error: ErrorObject): string {
  if (error.keyword === 'additionalProperties') return 'is not a known field';
  if (error.keyword === 'required') return 'is required';
  return error.message ?? 'is not valid';
}

/** At most MAX_PROBLEMS_NAMED `fields` in an answer; the rest are counted in `moreProblems`. */
function cappedDetails(details: Readonly<Record<string, unknown>>): Readonly<Record<string, unknown>> {
  const fields = details.fields;
  if (!Array.isArray(fields) || fields.length <= MAX_PROBLEMS_NAMED) return details;
  const more = fields.length - MAX_PROBLEMS_NAMED + Number(details.moreProblems ?? 0);
  return { ...details, fields: fields.slice(0, MAX_PROBLEMS_NAMED), moreProblems: more };
}

/** The validator's keyword as a field problem's code, with the parameters its words need. */
function codeOf(error: ErrorObject): { code: FieldProblemCode; params?: FieldProblemParams } {
  const params = error.params as Record<string, unknown>;
  const limit = typeof params.limit === 'number' ? { limit: params.limit } : undefined;
  const text = (value: unknown) => (Array.isArray(value) ? value.join(',') : String(value));
  switch (error.keyword) {
    case 'required':
      return { code: 'REQUIRED' };
    case 'additionalProperties':
      return { code: 'NOT_A_KNOWN_FIELD' };
    case 'type':
      return { code: 'WRONG_TYPE', params: { type: text(params.type) } };
    case 'minimum':
    case 'exclusiveMinimum':
    case 'maximum':
    case 'exclusiveMaximum':
    case 'minLength':
    case 'maxLength':
    case 'minItems':
    case 'maxItems': {
      const code = error.keyword.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase() as FieldProblemCode;
      return limit ? { code, params: limit } : { code };
    }
    case 'multipleOf':
      return { code: 'MULTIPLE_OF', params: { multipleOf: Number(params.multipleOf) } };
    case 'uniqueItems':
      return { code: 'UNIQUE_ITEMS' };
    case 'pattern':
      return { code: 'PATTERN', params: { pattern: text(params.pattern) } };
    case 'format':
      return { code: 'FORMAT', params: { format: text(params.format) } };
    case 'const':
      return { code: 'ONE_OF', params: { allowed: text(params.allowedValue) } };
    case 'enum':
      return { code: 'ONE_OF', params: { allowed: text(params.allowedValues).replaceAll(',', ', ') } };
    default:
      return { code: 'INVALID' };
  }
}

/** Every failing field once, with the most useful message (unions report each branch otherwise). */
export function fieldProblems(errors: readonly ErrorObject[], part: string): FieldProblem[] {
  const seen = new Map<string, FieldProblem>();
  for (const error of errors) {
    if (error.keyword === 'anyOf' || error.keyword === 'if') continue;
    const field = fieldOf(error, part);
    const prefix = part === 'body' ? '' : `${part}:`;
    const key = prefix + field;
    const existing = seen.get(key);
    if (!existing) {
      seen.set(key, { field: key, message: messageOf(error), ...codeOf(error) });
    } else if (error.keyword === 'const' && !existing.message.startsWith('must be one of')) {
      const allowed = String((error.params as { allowedValue: unknown }).allowedValue);
      existing.message = `must be one of ${allowed}`;
      existing.code = 'ONE_OF';
      existing.params = { allowed };
    } else if (error.keyword === 'const') {
      const allowed = String((error.params as { allowedValue: unknown }).allowedValue);
      existing.message += `, ${allowed}`;
      existing.params = { allowed: `${String(existing.params?.allowed ?? '')}, ${allowed}` };
    }
  }
  return [...seen.values()];
}

/** Fastify's own 4xx errors (body limit, content type, rate limit) by status, as catalog codes. */
const FRAMEWORK_STATUS_CODES: Partial<Record<number, ErrorCode>> = {
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
};

/**
 * Strict bodies (no coercion, unknown fields refused), coerced query strings and params, all
 * errors reported; one error handler turning everything into `{error, message, ...}`.
 */
export function installErrorHandling(app: FastifyInstance): void {
  const strict = makeAjv(false);
  const coercing = makeAjv('array');
  app.setValidatorCompiler(({ schema, httpPart }) =>
    (httpPart === 'body' ? strict : coercing).compile(schema as object),
  );

  app.setErrorHandler((error: FastifyError | AppError | Error, request, reply) => {
    if (isAppError(error)) {
      if (error.kind === 'internal' || error.kind === 'unavailable') {
        request.log.error({ err: error, code: error.code }, 'request failed');
      }
      // An error that says when to come back (a key still in flight, a rate limit) says so in the header too.
      const retryAfter = error.details.retryAfterSeconds;
      if (typeof retryAfter === 'number') void reply.header('retry-after', String(retryAfter));
      return reply
        .status(error.status)
        .send({ error: error.wire, message: error.message, ...cappedDetails(error.details) });
    }
    const fastifyError = error as FastifyError;
    if (fastifyError.validation) {
      const part = fastifyError.validationContext ?? 'body';
      const all = fieldProblems(fastifyError.validation as ErrorObject[], part);
      const fields = all.slice(0, MAX_PROBLEMS_NAMED);
      const more = all.length - fields.length;
      return reply.status(400).send({
        error: ERROR_CODES.INVALID_INPUT.wire,
        message: problemsMessage(fields, more),
        fields,
        ...(more > 0 ? { moreProblems: more } : {}),
      });
    }
    const status = fastifyError.statusCode;
    if (status !== undefined && status >= 400 && status < 500) {
      const code = FRAMEWORK_STATUS_CODES[status] ?? 'INVALID_INPUT';
      return reply.status(status).send({ error: ERROR_CODES[code].wire, message: fastifyError.message });
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply
      .status(500)
      .send({ error: ERROR_CODES.INTERNAL.wire, message: ERROR_CODES.INTERNAL.description });
  });

  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({
      error: ERROR_CODES.ROUTE_NOT_FOUND.wire,
      message: `No route ${request.method} ${request.url.split('?')[0]}.`,
    }),
  );
}

export { AppError };
