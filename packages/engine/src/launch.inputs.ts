import Type, { type Static } from 'typebox';
import { Body } from './schemas.js';

export const CompleteItemBody = Body({
  note: Type.Optional(Type.String({ maxLength: 2000 })),
  evidenceUrl: Type.Optional(
    Type.String({
      format: 'uri',
      pattern: '^https?://',
      maxLength: 2000,
      description: 'an http(s) link to the evidence',
    }),
  ),
});
export type CompleteItemInput = Static<typeof CompleteItemBody>;
