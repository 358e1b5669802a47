// A benchmark, not a journey: 2,000 products and 2,000 open tasks for one person, against a baseline of 20 of
// each for another person, both in the same browser and run. Prints figures (as ratios to the baseline and
// with the load average); asserts only behaviour (the tables page, so the DOM holds one page of rows).
// Run alone: BENCH_ONLY=tables pnpm test:browser tables.bench
import { expect, test, type Page } from '@playwright/test';
import { loadavg } from 'node:os';
import { execFileSync } from 'node:child_process';
import { ok, seedOrg, type Org } from './support/seed.js';
import { signIn } from './support/ui.js';
import { PASSWORD, PORT } from './support/env.js';

test.skip(!/\btables\b/.test(process.env.BENCH_ONLY ?? ''), 'a benchmark: BENCH_ONLY=tables runs it');

const LARGE = 2_000;
const BASELINE = 20;

/** `count` products of the org's department owned by its product manager, through the API. */
async function seedProducts(org: Org, count: number, prefix: string): Promise<void> {
  const names = Array.from({ length: count }, (_, i) => `${prefix}${String(i).padStart(4, '0')}`);
  for (let i = 0; i < names.length; i += 20) {
    await Promise.all(
      names.slice(i, i + 20).map((name) =>
        ok('POST', '/api/products', org.pm.token, {
          name,
          departmentId: org.departmentId,
          tier: 'profit',
          ownerId: org.pm.id,
        }),
      ),
    );
  }
}

/** One open task per product of the department, assigned to its product manager (straight into Postgres). */
function seedTasks(org: Org): void {
  const sql = `insert into tasks (product_id, branch_id, signal, severity, status, snapshot, assignees, due_at)
    select p.id, '${org.branchId}', 'competitor_undercut', 'low', 'open', '{}'::jsonb,
           array['${org.pm.id}'::uuid], now() + interval '7 days'
    from products p where p.department_id = '${org.departmentId}'`;
  execFileSync('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-d', `tower_e2e_${PORT}`, '-qAtc', sql]);
}

interface Figures {
  firstRowsMs: number;
  nextPageMs: number;
  rowsInDom: number;
  scrollLongestTaskMs: number;
}

/** Opens `path`, times the first rows, a page turn (when asked) and a scroll to the bottom (the longest task). */
async function measure(page: Page, path: string, rowName: RegExp, turnPage: boolean): Promise<Figures> {
  const started = Date.now();
  await page.goto(path);
  const rows = page.getByRole('row', { name: rowName });
  await expect(rows.first()).toBeVisible({ timeout: 60_000 });
  const firstRowsMs = Date.now() - started;
  const rowsInDom = await page.locator('.ant-table-tbody tr.ant-table-row').count();
  let nextPageMs = 0;
  if (turnPage) {
    const firstName = await rows.first().innerText();
    const turned = Date.now();
    await page.getByRole('button', { name: '下一页' }).first().click({ timeout: 10_000 });
    await expect(rows.first()).not.toHaveText(firstName, { timeout: 60_000 });
    nextPageMs = Date.now() - turned;
  }
  // In the page (a string: this package's TypeScript has no DOM types).
  const scrollLongestTaskMs = await page.evaluate<number>(`(async () => {
    let longest = 0;
    const observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) longest = Math.max(longest, entry.duration);
    });
    observer.observe({ type: 'longtask' });
    for (let y = 0; y <= document.body.scrollHeight; y += 200) {
      window.scrollTo(0, y);
      await new Promise((resolve) => requestAnimationFrame(resolve));
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    observer.disconnect();
    return longest;
  })()`);
  return { firstRowsMs, nextPageMs, rowsInDom, scrollLongestTaskMs };
}

test('2,000-row tables: products and inbox against the same pages before them', async ({ page }) => {
  test.setTimeout(900_000);
  // The baseline first, on the product as it is (the journeys' few products), then the same after 2,000 more.
  const small = await seedOrg();
  await seedProducts(small, BASELINE, `小表${small.suffix}-`);
  seedTasks(small);
  const large = await seedOrg();
  const pages = [
    ['products', '/products'],
    ['inbox', '/inbox'],
  ] as const;
  const baseline: Record<string, Figures> = {};
  await signIn(page, small.pm.email, PASSWORD, small.pm.name);
  for (const [name, path] of pages) {
    baseline[name] = await measure(page, path, new RegExp(`小表${small.suffix}-`), false);
  }
  await page.getByRole('button', { name: '退出登录' }).click();

  await seedProducts(large, LARGE, `大表${large.suffix}-`);
  seedTasks(large);
  const results: Record<string, { large: Figures; baseline: Figures }> = {};
  await signIn(page, large.pm.email, PASSWORD, large.pm.name);
  for (const [name, path] of pages) {
    // The product list is chain-wide for a product manager: its own rows may sit on a later page.
    const rowName = name === 'products' ? /表/ : new RegExp(`大表${large.suffix}-`);
    const big = await measure(page, path, rowName, true);
    results[name] = { large: big, baseline: baseline[name]! };
    // Paginated: one page of rows in the DOM, however many there are.
    expect(big.rowsInDom).toBeLessThanOrEqual(50);
  }
  const load = loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');
  const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(2)}×` : '—');
  console.log(
    `\n2,000-row tables (load average ${load}), against the same pages before them (${BASELINE} rows of one person) in the same run:`,
  );
  for (const [name, { large: l, baseline: b }] of Object.entries(results)) {
    console.log(
      `  ${name}: first rows ${l.firstRowsMs} ms (${ratio(l.firstRowsMs, b.firstRowsMs)} of ${b.firstRowsMs} ms), ` +
        `next page ${l.nextPageMs} ms, rows in DOM ${l.rowsInDom} (baseline ${b.rowsInDom}), ` +
        `longest task while scrolling ${l.scrollLongestTaskMs.toFixed(0)} ms (baseline ${b.scrollLongestTaskMs.toFixed(0)} ms)`,
    );
  }
});
