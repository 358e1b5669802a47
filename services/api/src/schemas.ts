import Type, { type Static, type TSchema } from 'typebox';

export const Uuid = Type.String({ format: 'uuid' });
export const Day = Type.String({ format: 'date', description: 'YYYY-MM-DD' });
export const Instant = Type.String({ format: 'date-time' });
export const Fen = Type.Integer({ minimum: 0, maximum: 1_000_000_000_00, description: 'money in fen (分)' });
export const PositiveFen = Type.Integer({
  minimum: 1,
  maximum: 1_000_000_000_00,
  description: 'money in fen (分)',
});
export const Text = (maxLength = 200) => Type.String({ minLength: 1, maxLength });
export const IdParams = Type.Object({ id: Uuid });
export const StringEnum = <T extends readonly string[]>(values: T) =>
  Type.Union(values.map((v) => Type.Literal(v))) as unknown as TSchema & { static: T[number] };

export const ErrorBody = Type.Object(
  {
    error: Type.String({ description: 'machine code, e.g. product_not_found' }),
    message: Type.String(),
  },
  { additionalProperties: true },
);

export const PageQuery = {
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
};

/** An object body that refuses unknown properties (Fastify strips them otherwise). */
export function Body<P extends Record<string, TSchema>>(properties: P) {
  return Type.Object(properties, { additionalProperties: false });
}

export type { Static };
