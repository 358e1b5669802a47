import { describe, expect, it } from 'vitest';
import { TIERS } from '@tower/domain';
import { generateDemoChain, productSales, sells } from './generate.js';

const END = '2026-11-30';

function allSales(seed: number) {
  const chain = generateDemoChain({ seed, end: END });
  return chain.products.filter(sells).flatMap((p) =>
    p.branches.flatMap((code) =>
      productSales(
        chain,
        p,
        chain.branches.find((b) => b.code === code)!,
        { productId: p.key, branchId: code },
      ),
    ),
  );
}

describe('the demo chain generator', () => {
  it('gives the same chain and the same year of sales for the same seed, another for another', () => {
    expect(generateDemoChain({ seed: 7, end: END })).toEqual(generateDemoChain({ seed: 7, end: END }));
    const a = allSales(7);
    expect(a).toEqual(allSales(7));
    expect(a.length).toBeGreaterThan(10_000);
    expect(allSales(8)).not.toEqual(a);
  });

  it('is a realistic chain: two cities, four departments, every tier and stage, every role', () => {
    const chain = generateDemoChain({ end: END });
    expect(new Set(chain.branches.map((b) => b.city))).toEqual(new Set(['上海', '杭州']));
    // Branch codes as chains write them: the city in capitals and a number.
    expect(chain.branches.map((b) => b.code)).toEqual(['SH01', 'SH02', 'HZ01', 'HZ02']);
    expect(chain.departments.map((d) => d.name)).toEqual(['整形外科', '皮肤科', '注射微整', '中医']);
    expect(chain.products).toHaveLength(40);
    expect(new Set(chain.products.map((p) => p.tier))).toEqual(new Set(TIERS));
    expect(new Set(chain.products.map((p) => p.stage))).toEqual(
      new Set([
        'research',
        'packaging',
        'pricing',
        'training',
        'launch',
        'monitoring',
        'retirement',
        'retired',
        'rejected',
      ]),
    );
    const roles = new Set(chain.people.flatMap((p) => p.roles.map((r) => r.role)));
    expect(roles).toEqual(
      new Set([
        'director',
        'product_manager',
        'marketing_manager',
        'compliance_officer',
        'department_manager',
      ]),
    );
    for (const d of chain.departments)
      for (const b of chain.branches)
        expect(
          chain.people.some((p) =>
            p.roles.some(
              (r) => r.role === 'department_manager' && r.department === d.code && r.branch === b.code,
            ),
          ),
        ).toBe(true);
    expect(chain.from).toBe('2025-12-01');
    // Holidays with their 调休 workdays, and the 618 / 双11 peaks.
    const kinds = new Map(chain.calendar.map((d) => [d.date, `${d.kind} ${d.name}`]));
    expect(kinds.get('2026-02-16')).toBe('holiday 春节');
    expect(kinds.get('2026-02-14')).toBe('workday 春节调休');
    expect(kinds.get('2026-06-18')).toBe('promotion 618');
    expect(kinds.get('2026-11-11')).toBe('promotion 双11');
  });

  it('plants its stories: weekday and promotion peaks, a sharp fade, a complaint cluster, an undercut, a cost rise', () => {
    const chain = generateDemoChain({ end: END });
    const rows = allSales(20_261_201);
    const unitsOn = (filter: (date: string) => boolean) =>
      rows.filter((r) => filter(r.date)).reduce((sum, r) => sum + r.units, 0);
    const weekday = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay();
    // Saturdays sell more than Mondays; 双11 more than the days around it.
    expect(unitsOn((d) => weekday(d) === 6)).toBeGreaterThan(unitsOn((d) => weekday(d) === 1) * 1.5);
    expect(unitsOn((d) => d >= '2026-11-09' && d <= '2026-11-11')).toBeGreaterThan(
      unitsOn((d) => d >= '2026-11-02' && d <= '2026-11-04') * 1.5,
    );
    const fading = chain.products.find((p) => p.plants.includes('fading_sharp'))!;
    const of = rows.filter((r) => r.productId === fading.key);
    const sum = (from: string, to: string) =>
      of.filter((r) => r.date >= from && r.date <= to).reduce((s, r) => s + r.units, 0);
    expect(sum('2026-11-24', '2026-11-30')).toBeLessThan(sum('2026-10-13', '2026-10-19') * 0.5);
    const cluster = chain.complaints.filter((c) => c.externalId.includes('cluster'));
    expect(cluster).toHaveLength(5);
    expect(new Set(cluster.map((c) => `${c.product}@${c.branch}`)).size).toBe(1);
    const undercut = chain.competitorUndercuts[0]!;
    const ours = chain.products.find((p) => p.key === undercut.product)!;
    expect(undercut.priceFen).toBeLessThan(ours.listFen * 0.8);
    const rise = chain.costChanges[0]!;
    const risen = chain.products.find((p) => p.key === rise.product)!;
    const unitCost =
      rise.consumablesFen + risen.costs.labourFen + risen.costs.overheadFen + risen.costs.marketingFen;
    expect(risen.listFen).toBeLessThan(unitCost * 1.4);
  });

  it('scales to the benchmark chain: numbered variants sold at every branch', () => {
    const chain = generateDemoChain({ end: END, products: 2_000, branchesPerCity: 25, everywhere: true });
    expect(chain.products).toHaveLength(2_000);
    expect(chain.branches).toHaveLength(50);
    expect(new Set(chain.branches.map((b) => b.code)).size).toBe(50);
    expect(chain.products[1_999]!.branches).toHaveLength(50);
  });
});
