import { findImportById, listBranches, listProductNames, type ImportRecordRow } from '@tower/db';
import { AppError, RefIndex, ROLES_THAT_MAY, type ImportLookups } from '@tower/domain';
import { canSeeProduct, hasAnyRole, requirePerson, requireRole } from '../access.js';
import type { Actor, EngineContext, PersonActor } from '../context.js';

/** Admins, product managers and the roles that may ingest facts bring files in. */
export function requireImporter(actor: Actor): PersonActor {
  return requireRole(actor, ROLES_THAT_MAY.importFiles, 'import facts');
}

/** Whether the person sees every import, not only their own. */
export function seesEveryonesImports(person: PersonActor): boolean {
  return hasAnyRole(person, ROLES_THAT_MAY.seeEveryonesImports);
}

/** An import is seen by the person who uploaded it, admins and directors; to others it does not exist. */
export function canSeeImport(person: PersonActor, row: ImportRecordRow): boolean {
  return row.createdBy === person.id || seesEveryonesImports(person);
}

export function importNotFound(id: string): AppError {
  return new AppError('IMPORT_NOT_FOUND', `No import ${id}.`);
}

export function notInPreview(row: ImportRecordRow): AppError {
  return new AppError(
    'IMPORT_NOT_IN_PREVIEW',
    `The import is ${row.status}; only a preview can change or be committed.`,
    { status: row.status },
  );
}

/** An uploaded import the person may see; IMPORT_NOT_FOUND otherwise. */
export async function findVisibleImport(ctx: EngineContext, actor: Actor, id: string) {
  const person = requirePerson(actor);
  const row = await findImportById(ctx.db, id);
  if (!row || row.uploadedAt === null || !canSeeImport(person, row)) throw importNotFound(id);
  return row;
}

/** Products the person may bring facts about (the ones they see), and every branch. */
export async function loadLookups(ctx: EngineContext, person: PersonActor): Promise<ImportLookups> {
  const [products, branches] = await Promise.all([listProductNames(ctx.db), listBranches(ctx.db)]);
  return {
    products: new RefIndex(products.filter((p) => canSeeProduct(person, p))),
    branches: new RefIndex(branches),
  };
}
