import { sql } from 'kysely';
import type { Executor } from '../connection.js';
import { NO_BRANCH, type SignalKey } from './task-key.js';

/** Records that a signal fired for a key on a day; a re-run of the same detection records nothing new. */
export async function insertSignal(
  db: Executor,
  signal: SignalKey & {
    firedOn: string;
    evidenceKey?: string;
    evidence: unknown;
    silenced: boolean;
    taskId: string | null;
  },
): Promise<{ id: number } | undefined> {
  return db
    .insertInto('signals')
    .values({
      productId: signal.productId,
      branchId: signal.branchId,
      signal: signal.signal,
      subjectKey: signal.subjectKey ?? '',
      firedOn: signal.firedOn,
      evidenceKey: signal.evidenceKey ?? '',
      evidence: JSON.stringify(signal.evidence),
      silenced: signal.silenced,
      taskId: signal.taskId,
    })
    .onConflict((oc) =>
      oc
        .expression(
          sql`product_id, signal, coalesce(branch_id, ${NO_BRANCH}::uuid), subject_key, fired_on, evidence_key`,
        )
        .doNothing(),
    )
    .returning('id')
    .executeTakeFirst();
}

/**
 * Records a signal on a task and adds the day's evidence to it, in one statement; each part once
 * (a re-run adds nothing). Says which of the two were new.
 */
export async function insertSignalWithEvidence(
  db: Executor,
  fact: SignalKey & { firedOn: string; evidenceKey?: string; evidence: unknown; taskId: string },
): Promise<{ recorded: boolean; added: boolean }> {
  const evidence = JSON.stringify(fact.evidence);
  const evidenceKey = fact.evidenceKey ?? '';
  const { rows } = await sql<{ recorded: boolean; added: boolean }>`
    with recorded as (
      insert into signals (product_id, branch_id, signal, subject_key, fired_on, evidence_key, evidence, silenced, task_id)
      values (${fact.productId}, ${fact.branchId}, ${fact.signal}, ${fact.subjectKey ?? ''}, ${fact.firedOn},
        ${evidenceKey}, ${evidence}::jsonb, false, ${fact.taskId})
      on conflict (product_id, signal, coalesce(branch_id, ${NO_BRANCH}::uuid), subject_key, fired_on, evidence_key)
        do nothing
      returning 1
    ), added as (
      insert into task_evidence (task_id, fired_on, evidence_key, data)
      values (${fact.taskId}, ${fact.firedOn}, ${evidenceKey}, ${evidence}::jsonb)
      on conflict (task_id, fired_on, evidence_key) do nothing
      returning 1
    )
    select exists (select 1 from recorded) as recorded, exists (select 1 from added) as added
  `.execute(db);
  return rows[0] ?? { recorded: false, added: false };
}

/**
 * {@link insertSignalWithEvidence} for many facts in one statement: each records its signal on its
 * task and adds its day's evidence, each part once.
 */
export async function insertSignalsWithEvidence(
  db: Executor,
  facts: readonly (SignalKey & {
    firedOn: string;
    evidenceKey?: string;
    evidence: unknown;
    taskId: string;
  })[],
): Promise<void> {
  if (facts.length === 0) return;
  const evidence = facts.map((f) => JSON.stringify(f.evidence));
  const evidenceKeys = facts.map((f) => f.evidenceKey ?? '');
  const firedOn = facts.map((f) => f.firedOn);
  const taskIds = facts.map((f) => f.taskId);
  await sql`
    with recorded as (
      insert into signals (product_id, branch_id, signal, subject_key, fired_on, evidence_key, evidence, silenced, task_id)
      select f.product_id, f.branch_id, f.signal, f.subject_key, f.fired_on, f.evidence_key, f.evidence, false, f.task_id
      from unnest(${facts.map((f) => f.productId)}::uuid[], ${facts.map((f) => f.branchId)}::uuid[],
        ${facts.map((f) => f.signal as string)}::text[], ${facts.map((f) => f.subjectKey ?? '')}::text[],
        ${firedOn}::date[], ${evidenceKeys}::text[], ${evidence}::jsonb[], ${taskIds}::uuid[])
        as f(product_id, branch_id, signal, subject_key, fired_on, evidence_key, evidence, task_id)
      on conflict (product_id, signal, coalesce(branch_id, ${NO_BRANCH}::uuid), subject_key, fired_on, evidence_key)
        do nothing
    )
    insert into task_evidence (task_id, fired_on, evidence_key, data)
    select * from unnest(${taskIds}::uuid[], ${firedOn}::date[], ${evidenceKeys}::text[], ${evidence}::jsonb[])
    on conflict (task_id, fired_on, evidence_key) do nothing
  `.execute(db);
}
