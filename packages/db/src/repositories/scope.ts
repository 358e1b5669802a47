import { sql, type RawBuilder } from 'kysely';

/**
 * `exists` a product, referenced by `productIdColumn`, in one of `departmentIds`: how a department
 * manager's view of launch items, silences and the like is narrowed to their departments.
 */
export function productInDepartments(
  productIdColumn: 'launchItems.productId' | 'silences.productId' | 'signalTuning.productId',
  departmentIds: readonly string[],
): RawBuilder<boolean> {
  return sql<boolean>`exists (select 1 from products where products.id = ${sql.ref(productIdColumn)}
    and products.department_id = any(${[...departmentIds]}::uuid[]))`;
}
