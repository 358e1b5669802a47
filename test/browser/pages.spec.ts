import { expect, test } from '@playwright/test';
import { ADMIN } from './support/env.js';
import { ingestDip } from './support/sales.js';
import { createProduct, eventually, ok, seedOrg, walkToLaunch, walkToMonitoring } from './support/seed.js';
import { expectAccessible, screenshot, signIn } from './support/ui.js';

// Every main page in zh-CN with data on it: a screenshot of each (artifacts) and no serious/critical axe violation.
test('every main page shows its data in Chinese and passes axe', async ({ page }) => {
  test.setTimeout(300_000);
  const org = await seedOrg();
  const live = await createProduct(org, `水光针${org.suffix}`);
  await walkToMonitoring(org, live);
  await ingestDip(org, live);
  const launching = await createProduct(org, `热玛吉${org.suffix}`, 'flagship');
  await walkToLaunch(org, launching);
  await createProduct(org, `光子嫩肤${org.suffix}`, 'traffic');
  await ok('PUT', '/api/calendar/days', org.admin.token, {
    days: [{ date: '2026-10-01', kind: 'holiday', name: '国庆节' }],
  });
  const task = await eventually(async () => {
    const { items } = await ok('GET', `/api/tasks?productId=${live}&signal=sales_dip`, org.admin.token);
    return items[0] as { id: string } | undefined;
  }, 'the sales_dip task');

  await signIn(page, ADMIN.email, ADMIN.password, 'Administrator');

  await page.goto('/inbox');
  await expect(page.getByRole('heading', { name: '我的待办' })).toBeVisible();
  await screenshot(page, 'inbox');
  await expectAccessible(page);

  await page.goto(`/tasks/${task.id}`);
  await expect(
    page.getByRole('heading', { name: new RegExp(`销量下滑 · 水光针${org.suffix}`) }),
  ).toBeVisible();
  await expect(page.getByRole('img', { name: '销量与基线' })).toBeVisible();
  // The evidence in Chinese words from its figures, not the detector's English sentence.
  const evidence = page.getByTestId('evidence').first();
  await expect(evidence).toContainText(/本院区.*售出 \d+ 件，预期 [\d.,]+ 件/);
  await expect(evidence).not.toContainText('units sold');
  await screenshot(page, 'task');
  await expectAccessible(page);

  await page.goto('/tower');
  await expect(page.getByLabel(`皮肤科${org.suffix} 主推款`)).toContainText(`热玛吉${org.suffix}`);
  await screenshot(page, 'tower');
  await expectAccessible(page);

  await page.goto('/board');
  await expect(page.getByRole('region', { name: '上线' })).toContainText(`热玛吉${org.suffix}`);
  await expect(page.getByRole('region', { name: '在售监控' })).toContainText(`水光针${org.suffix}`);
  await screenshot(page, 'board');
  await expectAccessible(page);

  await page.goto('/products');
  await expect(page.getByRole('link', { name: `光子嫩肤${org.suffix}` })).toBeVisible();
  await screenshot(page, 'products');
  await expectAccessible(page);

  await page.goto(`/products/${live}`);
  await expect(page.getByTestId('product-stage')).toHaveText('在售监控');
  await screenshot(page, 'product-sheet');
  await expectAccessible(page);
  await page.getByRole('tab', { name: '成本 / 七种价格' }).click();
  await expect(page.getByTestId('floor')).toHaveText('¥1,400.00');
  await screenshot(page, 'product-pricing');
  await page.getByRole('tab', { name: '销量与基线' }).click();
  await expect(page.getByRole('img', { name: '销量与基线' })).toBeVisible();
  await screenshot(page, 'product-sales');
  await page.getByRole('tab', { name: '历史' }).click();
  await expect(page.getByText(/上市 · 上线 → 在售监控/)).toBeVisible();
  await screenshot(page, 'product-history');
  await expectAccessible(page);

  await page.goto(`/launch?product=${launching}`);
  await expect(page.getByRole('progressbar', { name: `上海${org.suffix}店 进度` })).toBeVisible();
  await screenshot(page, 'launch');
  await expectAccessible(page);

  const { reviewId } = await ok('POST', '/api/reviews/quarterly', org.admin.token, { quarter: '2026-Q4' });
  await eventually(async () => {
    const review = await ok('GET', `/api/reviews/${reviewId}`, org.admin.token);
    return review.status === 'ready' ? review : undefined;
  }, 'the quarterly review');
  await page.goto('/reviews');
  await expect(page.getByRole('link', { name: '2026-Q4' })).toBeVisible();
  await screenshot(page, 'reviews');
  await expectAccessible(page);
  await page.getByRole('link', { name: '2026-Q4' }).click();
  await page.getByRole('tab', { name: `皮肤科${org.suffix}` }).click();
  await expect(page.getByRole('link', { name: `水光针${org.suffix}` }).first()).toBeVisible();
  await expect(page.getByRole('img', { name: '增长 × 份额' }).first()).toBeVisible();
  await screenshot(page, 'review');
  await expectAccessible(page);

  await page.goto('/admin');
  // Other journeys share the product's database, so the people list may run to several pages.
  await page.getByPlaceholder('搜索').fill(org.suffix);
  await expect(page.getByRole('cell', { name: `合规专员${org.suffix}` })).toBeVisible();
  await screenshot(page, 'admin');
  await expectAccessible(page);

  // A rule the API refuses is named at its field in Chinese, what was typed kept.
  await page.goto('/admin?tab=rules');
  const profit = page.getByRole('spinbutton', { name: '利润款', exact: true });
  await profit.fill('-5');
  await page.getByRole('button', { name: '保存', exact: true }).click();
  await expect(page.getByText('定价 › 各梯度最低毛利率 › 利润款：不能小于 0')).toBeVisible();
  await expect(profit).toHaveValue('-5');
  await screenshot(page, 'admin-rules-refused');
});
