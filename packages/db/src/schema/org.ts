/** People, their roles and channels, sessions and API keys; branches and departments. */
import type { Generated } from 'kysely';
import type { ChannelKind, Role } from '@tower/domain';
import type { Default, Timestamp } from './columns.js';

export interface BranchTable {
  id: Generated<string>;
  code: string;
  name: string;
  createdAt: Generated<Date>;
}

export type DepartmentTable = BranchTable;

export interface PersonTable {
  id: Generated<string>;
  name: string;
  email: string;
  passwordHash: string;
  active: Default<boolean>;
  deactivatedAt: Timestamp | null;
  deactivationReason: string | null;
  createdAt: Generated<Date>;
  updatedAt: Timestamp;
}

export interface PersonRoleTable {
  id: Generated<string>;
  personId: string;
  role: Role;
  departmentId: string | null;
  branchId: string | null;
}

export interface PersonChannelTable {
  id: Generated<string>;
  personId: string;
  kind: ChannelKind;
  url: string;
  /** The robot's signing secret (DingTalk 加签, Feishu 签名校验); never logged, shown to owner and admins. */
  secret: string | null;
}

export interface SessionTable {
  id: Generated<string>;
  personId: string;
  tokenHash: string;
  createdAt: Generated<Date>;
  expiresAt: Timestamp;
  revokedAt: Date | null;
}

export interface ApiKeyTable {
  id: Generated<string>;
  name: string;
  keyHash: string;
  scopes: string[];
  createdBy: string | null;
  createdAt: Generated<Date>;
  revokedAt: Date | null;
}
