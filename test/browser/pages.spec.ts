import { expect, test } from '@playwright/test';
import { ADMIN } from './support/env.js';
import { ingestDip } from './support/sales.js';
import { createProduct, eventually, ok, seedOrg, walkToLaunch, walkToMonitoring } from './support/seed.js';
import { expectAccessible, screenshot, signIn } from './support/ui.js';

// Every main page in zh-CN with data on it: a screenshot of each (artifacts) and no serious/critical axe violation.
test('every main page shows its data in Chinese and passes axe', async ({ page }) => {
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
  await screenshot(page, 'task');
  await expectAccessible(page);

  await page.goto('/tower');
  await expect(page.getByLabel(`皮肤科${org.suffix} 形象款`)).toContainText(`热玛吉${org.suffix}`);
  await screenshot(page, 'tower');
  await expectAccessible(page);

  await page.goto('/board');
  await expect(page.getByRole('region', { name: '上市' })).toContainText(`热玛吉${org.suffix}`);
  await expect(page.getByRole('region', { name: '监控' })).toContainText(`水光针${org.suffix}`);
  await screenshot(page, 'board');
  await expectAccessible(page);

  await page.goto('/products');
  await expect(page.getByRole('link', { name: `光子嫩肤${org.suffix}` })).toBeVisible();
  await screenshot(page, 'products');
  await expectAccessible(page);

  await page.goto(`/products/${live}`);
  await expect(page.getByTestId('product-stage')).toHaveText('监控');
  await screenshot(page, 'product-sheet');
  await expectAccessible(page);
  await page.getByRole('tab', { name: '成本 / 七种价格' }).click();
  await expect(page.getByTestId('floor')).toHaveText('¥1,400.00');
  await screenshot(page, 'product-pricing');
  await page.getByRole('tab', { name: '销量与基线' }).click();
  await expect(page.getByRole('img', { name: '销量与基线' })).toBeVisible();
  await screenshot(page, 'product-sales');
  await page.getByRole('tab', { name: '历史' }).click();
  await expect(page.getByText(/上市 · 上市 → 监控/)).toBeVisible();
  await screenshot(page, 'product-history');
  await expectAccessible(page);

  await page.goto(`/launch?product=${launching}`);
  await expect(page.getByRole('progressbar', { name: `上海${org.suffix}店 进度` })).toBeVisible();
  await screenshot(page, 'launch');
  await expectAccessible(page);

  await page.goto('/reviews');
  await expect(page.getByRole('heading', { name: '季度复盘' })).toBeVisible();
  await screenshot(page, 'reviews');
  await expectAccessible(page);

  await page.goto('/admin');
  await expect(page.getByRole('cell', { name: `合规专员${org.suffix}` })).toBeVisible();
  await screenshot(page, 'admin');
  await expectAccessible(page);
});
