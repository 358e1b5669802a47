import Type, { type Static } from 'typebox';
import { DECISIONS, SIGNALS } from '@tower/domain';
import { Body, Instant, StringEnum, Text, Uuid } from './schemas.js';

export const CommentBody = Body({ text: Text(5000) });
export type CommentInput = Static<typeof CommentBody>;

export const ResolveBody = Body({ decision: StringEnum(DECISIONS), note: Text(5000) });
export type ResolveInput = Static<typeof ResolveBody>;

export const FeedbackBody = Body({ useful: Type.Boolean() });
export type FeedbackInput = Static<typeof FeedbackBody>;

export const SilenceBody = Body({
  productId: Uuid,
  signal: StringEnum(SIGNALS),
  branchId: Type.Optional(Uuid),
  until: Instant,
  reason: Text(2000),
});
export type SilenceInput = Static<typeof SilenceBody>;

/** A (product, signal, branch) key of false-alarm tuning; branch null is the chain-wide key. */
export const TuningResetBody = Body({
  productId: Uuid,
  signal: StringEnum(SIGNALS),
  branchId: Type.Union([Uuid, Type.Null()], { description: 'null: the chain-wide key' }),
});
export type TuningResetInput = Static<typeof TuningResetBody>;
