import { createHash } from 'node:crypto';
import { insertImportBatch, updateImportRowProblems, type Tx } from '@tower/db';
import {
  isAppError,
  refusedProblemsLine,
  worded,
  type AppError,
  type FieldProblem,
  type ImportKind,
  type ImportRecord,
  type RefusedProblem,
} from '@tower/domain';
import type { EngineContext, PersonActor } from '../context.js';
import { ingestCompetitorPrices, ingestComplaint, ingestSales } from '../ingest.commands.js';
import type { CompetitorPriceRow, SalesInputRow } from '../ingest.inputs.js';
import { setSalesTarget } from '../targets.commands.js';

/** A batch found already committed by another run: its transaction is rolled back. */
export class BatchAlreadyCommitted extends Error {}

/** One batch of staged rows on its way in: those to store, and those set aside with a reason. */
export interface BatchWork {
  readonly importId: string;
  readonly batchNo: number;
  stored: Array<{ seq: number; record: ImportRecord }>;
  readonly refused: Array<{ seq: number; problem: string }>;
  readonly alreadyRefused: number;
}

function refuseStored(
  work: BatchWork,
  which: (index: number, item: BatchWork['stored'][number]) => string | undefined,
) {
  const kept: BatchWork['stored'] = [];
  work.stored.forEach((item, index) => {
    const problem = which(index, item);
    if (problem === undefined) kept.push(item);
    else work.refused.push({ seq: item.seq, problem });
  });
  const changed = kept.length !== work.stored.length;
  work.stored = kept;
  return changed;
}

/** Marks the batch committed, with the rows refused in it, inside the transaction that stored it. */
function recordBatch(work: BatchWork) {
  return async (tx: Tx) => {
    await updateImportRowProblems(tx, work.importId, work.refused);
    const recorded = await insertImportBatch(tx, {
      importId: work.importId,
      batchNo: work.batchNo,
      stored: work.stored.length,
      refused: work.alreadyRefused + work.refused.length,
    });
    if (!recorded) throw new BatchAlreadyCommitted();
  };
}

/** Stores a batch's rows through the ingest command of its kind, and records the batch with them. */
export async function storeBatch(
  ctx: EngineContext,
  person: PersonActor,
  kind: ImportKind,
  work: BatchWork,
): Promise<void> {
  const within = recordBatch(work);
  if (work.stored.length === 0) {
    await ctx.db.transaction().execute(within);
    return;
  }
  switch (kind) {
    case 'sales':
      await ingestSales(ctx, person, {
        rows: work.stored.map((s) => s.record as unknown as SalesInputRow),
        within,
      });
      return;
    case 'competitor-prices':
      await ingestCompetitorPrices(ctx, person, {
        rows: work.stored.map((s) => s.record as unknown as CompetitorPriceRow),
        within,
      });
      return;
    case 'complaints':
    case 'targets': {
      // One fact per call; each is idempotent (complaints by external id, targets by key), so a batch
      // run again after a crash stores nothing twice. The batch is recorded after its rows.
      await refuseEach(work, async (record) => {
        if (kind === 'complaints') {
          const { externalId, ...complaint } = record as Record<string, string>;
          const derived = `import-${createHash('sha256').update(JSON.stringify(complaint)).digest('hex').slice(0, 32)}`;
          await ingestComplaint(ctx, person, {
            ...(complaint as never as Parameters<typeof ingestComplaint>[2]),
            externalId: externalId ?? derived,
          });
        } else {
          const { productId, ...target } = record as {
            productId: string;
            branchId: string;
            month: string;
            units?: number;
            revenueFen?: number;
          };
          await setSalesTarget(ctx, person, productId, target);
        }
      });
      await ctx.db.transaction().execute(within);
      return;
    }
  }
}

async function refuseEach(work: BatchWork, store: (record: ImportRecord) => Promise<void>) {
  const problems = new Map<number, string>();
  for (const item of work.stored) {
    try {
      await store(item.record);
    } catch (error) {
      if (!isAppError(error) || error.retryable) throw error;
      problems.set(item.seq, refusalText(error));
    }
  }
  refuseStored(work, (_, item) => problems.get(item.seq));
}

/** The import field a refused record field came from (`productId` → `product`). */
const IMPORT_FIELD_OF: Readonly<Record<string, string>> = {
  productId: 'product',
  branchId: 'branch',
  revenueFen: 'revenue',
  priceFen: 'price',
};

/** A problem the ingest command named, as stored with the refused row (its column an import field). */
function refusedProblem(recordField: string, problem: FieldProblem): RefusedProblem {
  return {
    column: IMPORT_FIELD_OF[recordField] ?? recordField,
    ...(problem.code === undefined ? {} : { code: problem.code }),
    ...(problem.params === undefined ? {} : { params: problem.params }),
    message: problem.message,
  };
}

function refusalText(error: AppError): string {
  const fields = (error.details.fields as FieldProblem[] | undefined) ?? [];
  return refusedProblemsLine(
    fields.length > 0
      ? fields.map((f) => refusedProblem(f.field.replace(/^\/(rows\/\d+\/)?/, ''), f))
      : [{ column: '', message: error.message }],
  );
}

/** Sets aside the rows an ingest command refused (by row index or product); false when none could be. */
export function setAsideRefused(work: BatchWork, error: AppError): boolean {
  if (error.kind === 'invalid_input') {
    const byIndex = new Map<number, RefusedProblem[]>();
    for (const f of (error.details.fields as FieldProblem[] | undefined) ?? []) {
      const match = /^\/rows\/(\d+)\/(\w+)/.exec(f.field);
      if (!match) continue;
      const list = byIndex.get(Number(match[1])) ?? [];
      list.push(refusedProblem(match[2]!, f));
      byIndex.set(Number(match[1]), list);
    }
    return (
      byIndex.size > 0 &&
      refuseStored(work, (index) => {
        const problems = byIndex.get(index);
        return problems ? refusedProblemsLine(problems) : undefined;
      })
    );
  }
  if (error.kind === 'forbidden' && Array.isArray(error.details.productIds)) {
    const products = new Set(error.details.productIds as string[]);
    return refuseStored(work, (_, item) =>
      products.has(String(item.record.productId))
        ? refusedProblemsLine([{ column: 'product', ...worded('NOT_YOUR_PRODUCT') }])
        : undefined,
    );
  }
  return false;
}
