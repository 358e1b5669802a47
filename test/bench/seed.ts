import type { Db } from '@tower/db';
import { makeBranch, makeDepartment, makePerson, type TestPerson } from '../support/api.js';
import { makeLiveProduct } from '../support/stack.js';

export interface Catalogue {
  readonly admin: TestPerson;
  readonly productIds: readonly string[];
  readonly branchIds: readonly string[];
}

/** Runs `work` over `items` with at most `limit` at a time. */
export async function inParallel<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}

/**
 * Departments, branches, live products and the people severe complaints route to: an admin, a
 * product manager owning the products, a director, a compliance officer and a department-wide
 * manager for each department.
 */
export async function seedCatalogue(
  db: Db,
  size: { departments: number; branches: number; products: number },
): Promise<Catalogue> {
  const departments = await inParallel(Array.from({ length: size.departments }), 4, (_, i) =>
    makeDepartment(db, `bench-d${i}`),
  );
  const branches = await inParallel(Array.from({ length: size.branches }), 4, (_, i) =>
    makeBranch(db, `bench-b${i}`),
  );
  const admin = await makePerson(db, [{ role: 'admin' }], 'Bench admin');
  const owner = await makePerson(db, [{ role: 'product_manager' }], 'Bench owner');
  await makePerson(db, [{ role: 'director' }], 'Bench director');
  await makePerson(db, [{ role: 'compliance_officer' }], 'Bench compliance');
  for (const department of departments) {
    await makePerson(
      db,
      [{ role: 'department_manager', departmentId: department.id }],
      `Manager ${department.code}`,
    );
  }
  const productIds = await inParallel(Array.from({ length: size.products }), 8, (_, i) =>
    makeLiveProduct(db, {
      name: `Bench product ${i}`,
      departmentId: departments[i % departments.length]!.id,
      ownerId: owner.id,
    }),
  );
  return { admin, productIds, branchIds: branches.map((b) => b.id) };
}
