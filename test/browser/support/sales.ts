import { ok, type Org } from './seed.js';

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Eight steady weeks of 10 a day from `from`, then a week of 4 a day: enough for a sales_dip task. */
export async function ingestDip(org: Org, productId: string, from = '2026-09-01'): Promise<string> {
  const rows = Array.from({ length: 63 }, (_, i) => {
    const units = i < 56 ? 10 : 4;
    return {
      productId,
      branchId: org.branchId,
      date: addDays(from, i),
      units,
      revenueFen: units * 300_000,
      orders: units,
    };
  });
  await ok('POST', '/api/ingest/sales', org.admin.token, { rows });
  return addDays(from, 62);
}
