/** The outbox, the audit log, the rules document and idempotency keys. */
import type { Generated } from 'kysely';
import type { IngestOutcome } from '@tower/domain';
import type { Timestamp, Json } from './columns.js';

export interface OutboxTable {
  id: Generated<number>;
  jobName: string;
  jobId: string;
  payload: Json;
  /** When the job should run (a delayed job); null = now. */
  runAt: Timestamp | null;
  createdAt: Generated<Date>;
  sentAt: Timestamp | null;
  /** When its job finished (done, or failed for good); null while the work may still be owed. */
  completedAt: Timestamp | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: Generated<Date>;
  actorId: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  data: Json;
}

export interface RulesTable {
  id: number;
  data: Json;
  updatedAt: Timestamp;
  updatedBy: string | null;
}

export interface IdempotencyKeyTable {
  key: string;
  scope: string;
  requestHash: string;
  /** Written before 0010; read back as the outcome it stood for. */
  statusCode: number | null;
  outcome: IngestOutcome | null;
  response: Json | null;
  createdAt: Generated<Date>;
  completedAt: Timestamp | null;
}
