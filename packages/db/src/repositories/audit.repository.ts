import type { Executor } from '../connection.js';

export interface AuditEntry {
  actorId: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  data?: Record<string, unknown>;
}

/** Appends to the audit log; call inside the transaction that made the change. */
export async function insertAudit(db: Executor, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('auditLog')
    .values({ ...entry, data: JSON.stringify(entry.data ?? {}) })
    .execute();
}
