import Type, { type Static } from 'typebox';
import { QUARTER_PATTERN, REVIEW_DECISIONS } from '@tower/domain';
import { Body, StringEnum, Text, Uuid } from '../schemas.js';

export const ReviewRequestBody = Body({
  quarter: Type.String({ pattern: QUARTER_PATTERN, description: 'e.g. 2026-Q3' }),
});
export type ReviewRequestInput = Static<typeof ReviewRequestBody>;

export const ReviewDecisionBody = Body({
  productId: Uuid,
  decision: StringEnum(REVIEW_DECISIONS),
  note: Text(5000),
});
export type ReviewDecisionInput = Static<typeof ReviewDecisionBody>;
