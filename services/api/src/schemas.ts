import Type, { type TSchema } from 'typebox';
import { FIELD_PROBLEM_WORDS, wireErrorsOfStatus } from '@tower/domain';
import { Uuid } from '@tower/engine';

export {
  Body,
  Day,
  Fen,
  Instant,
  Month,
  PositiveFen,
  StringEnum,
  Text,
  Uuid,
  type Static,
} from '@tower/engine';

export const IdParams = Type.Object({ id: Uuid });

export const PageQuery = {
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
};

/** The error body of one status: `error` is one of the catalog's wire strings for that status. */
export function ErrorBody(status: number) {
  const wires = wireErrorsOfStatus(status);
  return Type.Object(
    {
      error: Type.Unsafe<string>(
        Type.Union(
          wires.map((w) => Type.Literal(w)),
          { description: 'machine code (see the error catalog)' },
        ),
      ),
      message: Type.String(),
      ...(status === 400 ? { fields: Type.Optional(Type.Array(FieldProblemOut)) } : {}),
    },
    { additionalProperties: true },
  );
}

/** One failing field of a 400: `message` in English; `code` and `params` for words in any language. */
const FieldProblemOut = Type.Object(
  {
    field: Type.String({ description: 'JSON pointer of the field (query:/params: for those parts)' }),
    message: Type.String(),
    code: Type.Optional(
      Type.String({
        description: `what is wrong, in words in @tower/domain's FIELD_PROBLEM_WORDS: ${Object.keys(FIELD_PROBLEM_WORDS).join(', ')}`,
      }),
    ),
    params: Type.Optional(Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()]))),
  },
  { additionalProperties: true },
);

export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 500 | 503;
type TErrorBody = ReturnType<typeof ErrorBody>;

/** Statuses every authenticated route can answer besides its own. */
const ALWAYS = [401, 403, 500, 503] as const;

/**
 * The `response` of a route schema: its successes, the error bodies of the statuses it names, and
 * those every signed-in route can give (401, 403, 500, 503; `public` routes leave 401/403 out).
 */
export function replies<S extends Record<number, TSchema>>(
  success: S,
  errors: readonly ErrorStatus[] = [],
  options: { public?: boolean } = {},
): S & { [K in ErrorStatus]?: TErrorBody } {
  const statuses = [...new Set([...errors, ...(options.public ? [500, 503] : ALWAYS)])].sort();
  const errorBodies: Record<number, TSchema> = {};
  for (const status of statuses) errorBodies[status] = ErrorBody(status);
  return { ...errorBodies, ...success };
}

/** 204: nothing in the body. */
export const NoContent = Type.Null({ description: 'no content' });
