import Type, { type Static, type TSchema, type TUnsafe } from 'typebox';

/**
 * The building blocks of the input schemas: the engine's commands take `Static<>` of the same
 * TypeBox schemas the API validates requests with, so each shape is defined once.
 */
export const Uuid = Type.String({ format: 'uuid' });
export const Day = Type.String({ format: 'date', description: 'YYYY-MM-DD' });
export const Month = Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$', description: 'YYYY-MM' });
export const Instant = Type.String({ format: 'date-time' });
export const Fen = Type.Integer({ minimum: 0, maximum: 1_000_000_000_00, description: 'money in fen (分)' });
export const PositiveFen = Type.Integer({
  minimum: 1,
  maximum: 1_000_000_000_00,
  description: 'money in fen (分)',
});
export const Text = (maxLength = 200) => Type.String({ minLength: 1, maxLength });

/** One of `values`, as a union of literals (so a refusal names each allowed value). */
export const StringEnum = <const T extends readonly string[]>(values: T): TUnsafe<T[number]> =>
  Type.Unsafe<T[number]>(Type.Union(values.map((v) => Type.Literal(v))));

/** An object body that refuses unknown properties (Fastify strips them otherwise). */
export function Body<P extends Record<string, TSchema>>(properties: P) {
  return Type.Object(properties, { additionalProperties: false });
}

export type { Static };
