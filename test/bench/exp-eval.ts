import './env.js';
import { sql } from 'kysely';
import { createTestDatabase, prepareTemplateDatabase } from '@tower/db/testing';
import { createEngineContext, evaluateSales, ingestSales, SYSTEM_ACTOR } from '@tower/engine';
import { chunks, salesRows } from './ingest.js';
import { seedCatalogue } from './seed.js';

await prepareTemplateDatabase();
const t = await createTestDatabase();
const { db } = t;
const cat = await seedCatalogue(db, { departments: 4, branches: 10, products: 100 });
const ctx = createEngineContext(db);
const half = cat.productIds.length / 2;
const rows = salesRows(cat.productIds, cat.branchIds, 365, 'steady');
const mode = process.env.MODE ?? 'end';
const evalAll = async () => {
  for (const [i, productId] of cat.productIds.entries()) {
    if (i < half) for (const branchId of cat.branchIds) await evaluateSales(ctx, { productId, branchId });
    else await evaluateSales(ctx, { productId });
  }
};
let n = 0;
for (const batch of chunks(rows, 5000)) {
  await ingestSales(ctx, SYSTEM_ACTOR, { rows: batch });
  if (mode === 'interleaved' && ++n % 7 === 0) await evalAll();
}
await evalAll();
const { rows: out } = await sql<{ half: string; signal: string; branch: boolean; n: number }>`
  select case when t.product_id = any(${cat.productIds.slice(0, half)}::uuid[]) then 'pair' else 'product' end as half, t.signal, t.branch_id is null as chain, t.status, count(*)::int as n
  from tasks t group by 1, 2, 3, 4 order by 1, 2, 3, 4`.execute(db);
console.log(mode, out);
await t.drop();
