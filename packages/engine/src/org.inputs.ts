import Type, { type Static } from 'typebox';
import { CHANNEL_KINDS, ROLES } from '@tower/domain';
import { Body, StringEnum, Text, Uuid } from './schemas.js';

/**
 * Branch and department codes as chains write them (`SH01`, `BJ-CY`, `skin`): letters of either
 * case, digits, `-` and `_`, starting with a letter or digit. Kept as typed; unique regardless of case.
 */
export const OrgCode = Type.String({
  pattern: '^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$',
  description: 'letters of either case, digits, - and _; e.g. SH01, BJ-CY, skin',
});

export const OrgUnitBody = Body({ code: OrgCode, name: Text(100) });
export type OrgUnitInput = Static<typeof OrgUnitBody>;

export const RoleGrantItem = Type.Object(
  { role: StringEnum(ROLES), departmentId: Type.Optional(Uuid), branchId: Type.Optional(Uuid) },
  { additionalProperties: false },
);

export const PersonBody = Body({
  name: Text(100),
  email: Type.String({ format: 'email', maxLength: 320 }),
  password: Type.String({ minLength: 12, maxLength: 1024 }),
  roles: Type.Array(RoleGrantItem, { minItems: 1, maxItems: 20 }),
  channels: Type.Optional(
    Type.Array(
      Type.Object(
        {
          kind: StringEnum(CHANNEL_KINDS),
          url: Type.String({ format: 'uri', pattern: '^https?://', maxLength: 2000 }),
          secret: Type.Optional(
            Type.String({
              minLength: 1,
              maxLength: 200,
              description: 'the robot signing secret (DingTalk 加签 SEC…, Feishu 签名校验); never logged',
            }),
          ),
        },
        { additionalProperties: false },
      ),
      { maxItems: 10 },
    ),
  ),
});
export type NewPersonInput = Static<typeof PersonBody>;

export const LoginBody = Body({
  email: Type.String({ format: 'email', maxLength: 320 }),
  password: Type.String({ minLength: 1, maxLength: 1024 }),
});
export type LoginInput = Static<typeof LoginBody>;

export const ApiKeyBody = Body({
  name: Text(100),
  scopes: Type.Array(Type.Literal('ingest'), { minItems: 1, uniqueItems: true }),
});
export type ApiKeyInput = Static<typeof ApiKeyBody>;

export const DeactivationBody = Body({ reason: Text(500) });
export type DeactivationInput = Static<typeof DeactivationBody>;

export const RoleGrantsBody = Body({ roles: Type.Array(RoleGrantItem, { minItems: 1, maxItems: 20 }) });
export type RoleGrantsInput = Static<typeof RoleGrantsBody>;
