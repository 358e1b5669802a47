/** Launch checklists: items, their history, and the versions of each tier's template. */
import type { ColumnType, Generated } from 'kysely';
import type { LaunchItemChange, LaunchItemStatus, Role, Tier } from '@tower/domain';
import type { Default, Timestamp, DateString } from './columns.js';

export interface LaunchItemTable {
  id: Generated<string>;
  productId: string;
  branchId: string;
  ownerRole: Role;
  departmentId: string | null;
  title: string;
  dueOn: DateString;
  required: Default<boolean>;
  status: Default<LaunchItemStatus>;
  completedBy: string | null;
  completedAt: Timestamp | null;
  note: string | null;
  createdAt: Generated<Date>;
  /** The version of the tier's launch template that made the item. */
  templateVersion: Default<number>;
  /** The plan: due this many days before the target launch date. */
  daysBefore: Default<number>;
  titleZh: string | null;
  description: string | null;
  evidenceUrl: string | null;
  updatedAt: Timestamp;
}

export interface LaunchTemplateTable {
  tier: Tier;
  version: number;
  /** `LaunchTemplateItem[]` of `@tower/domain`. */
  items: ColumnType<unknown, string, string>;
  createdBy: string | null;
  createdAt: Timestamp;
}

export interface LaunchItemEventTable {
  id: Generated<number>;
  itemId: string;
  at: Timestamp;
  actorId: string | null;
  change: LaunchItemChange;
  note: string | null;
  evidenceUrl: string | null;
  dueOnBefore: DateString | null;
  dueOnAfter: DateString | null;
}
