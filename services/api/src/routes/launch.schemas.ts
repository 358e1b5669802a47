import Type from 'typebox';
import { LAUNCH_ITEM_CHANGES, LAUNCH_ITEM_STATUSES, LAUNCH_OWNER_ROLES, TIERS } from '@tower/domain';
import { LaunchTemplateItemSchema } from '@tower/engine';
import { Day, Uuid } from '../schemas.js';

const Enum = <const T extends readonly string[]>(values: T) =>
  Type.Unsafe<T[number]>({ type: 'string', enum: [...values] });
const Nullable = <T extends Type.TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
/** An instant the engine hands over as a Date; serialised as ISO 8601. */
const At = Type.Unsafe<Date>({ type: 'string', format: 'date-time' });

export const Tier = Enum(TIERS);
export const OwnerRole = Enum(LAUNCH_OWNER_ROLES);
export const ItemStatus = Enum(LAUNCH_ITEM_STATUSES);

export const TierParams = Type.Object({ tier: Tier });

export const TemplateItem = LaunchTemplateItemSchema;

export const Template = Type.Object({
  tier: Tier,
  version: Type.Integer({ description: 'version 1 is the built-in template of DOMAIN.md' }),
  builtIn: Type.Boolean(),
  items: Type.Array(TemplateItem),
  createdAt: Nullable(At),
  createdBy: Nullable(Uuid),
});

const itemFields = {
  id: Uuid,
  productId: Uuid,
  branchId: Uuid,
  ownerRole: Type.String(),
  departmentId: Nullable(Uuid),
  title: Type.String(),
  titleZh: Nullable(Type.String()),
  description: Nullable(Type.String()),
  dueOn: Day,
  daysBefore: Type.Integer(),
  required: Type.Boolean(),
  status: ItemStatus,
  overdue: Type.Boolean({ description: 'pending and due before today (Asia/Shanghai)' }),
  templateVersion: Type.Integer(),
  completedBy: Nullable(Uuid),
  completedAt: Nullable(At),
  note: Nullable(Type.String()),
  evidenceUrl: Nullable(Type.String()),
  updatedAt: At,
};

export const Item = Type.Object(itemFields);
export const ListedItem = Type.Object({ ...itemFields, productName: Type.String() });

export const ItemDetail = Type.Object({
  ...itemFields,
  history: Type.Array(
    Type.Object({
      id: Type.Integer(),
      at: At,
      actorId: Nullable(Uuid),
      actorName: Nullable(Type.String()),
      change: Enum(LAUNCH_ITEM_CHANGES),
      note: Nullable(Type.String()),
      evidenceUrl: Nullable(Type.String()),
      dueOnBefore: Nullable(Day),
      dueOnAfter: Nullable(Day),
    }),
  ),
});

const progressFields = {
  done: Type.Integer(),
  total: Type.Integer({ description: 'items not cancelled' }),
  percentDone: Type.Integer({ minimum: 0, maximum: 100 }),
};
const RoleProgress = Type.Object({ ownerRole: Type.String(), ...progressFields });

export const Checklist = Type.Object({
  productId: Uuid,
  stage: Type.String(),
  targetLaunchDate: Nullable(Day),
  templateVersion: Nullable(Type.Integer()),
  items: Type.Array(Item),
  ...progressFields,
  byBranch: Type.Array(Type.Object({ branchId: Uuid, ...progressFields, byRole: Type.Array(RoleProgress) })),
  byRole: Type.Array(RoleProgress),
  blockers: Type.Array(
    Type.Object({
      itemId: Uuid,
      branchId: Uuid,
      ownerRole: Type.String(),
      title: Type.String(),
      dueOn: Day,
      overdue: Type.Boolean(),
    }),
    { description: 'required items not done: what the LAUNCH gate refuses on' },
  ),
});
