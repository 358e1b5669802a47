import Type, { type Static } from 'typebox';
import { LAUNCH_OWNER_ROLES, LAUNCH_TEMPLATE_LIMITS } from '@tower/domain';
import { Body, StringEnum, Text } from './schemas.js';

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

export const UndoItemBody = Body({ reason: Text(2000) });
export type UndoItemInput = Static<typeof UndoItemBody>;

export const LaunchTemplateItemSchema = Body({
  ownerRole: StringEnum(LAUNCH_OWNER_ROLES),
  title: Text(LAUNCH_TEMPLATE_LIMITS.maxTitleLength),
  titleZh: Type.Optional(Type.String({ maxLength: LAUNCH_TEMPLATE_LIMITS.maxTitleLength })),
  description: Type.Optional(Type.String({ maxLength: LAUNCH_TEMPLATE_LIMITS.maxDescriptionLength })),
  daysBefore: Type.Integer({ minimum: 0, maximum: LAUNCH_TEMPLATE_LIMITS.maxDaysBefore }),
  required: Type.Boolean(),
});

export const LaunchTemplateBody = Body({
  items: Type.Array(LaunchTemplateItemSchema, { maxItems: LAUNCH_TEMPLATE_LIMITS.maxItems }),
});
export type LaunchTemplateInput = Static<typeof LaunchTemplateBody>;
