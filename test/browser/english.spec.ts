import { expect, test } from '@playwright/test';
import { PASSWORD } from './support/env.js';
import { createProduct, ok, seedOrg, walkToLaunch } from './support/seed.js';
import { choose, expectAccessible, screenshot } from './support/ui.js';

// zh-CN is the default; this journey switches to English on the login page and stays there.
test('in English: the product manager reads the tower by branch, a refusal in words and the checklist', async ({
  page,
}) => {
  test.setTimeout(240_000);
  const org = await seedOrg();
  const launching = `Thermage ${org.suffix}`;
  const researching = `Profhilo ${org.suffix}`;
  const launchingId = await createProduct(org, launching, 'flagship');
  await walkToLaunch(org, launchingId);
  await createProduct(org, researching);
  // A second branch of the chain, where nothing has launched yet.
  await ok('POST', '/api/branches', org.admin.token, {
    code: `BJ${org.suffix}`,
    name: `北京${org.suffix}店`,
  });

  await page.goto('/inbox');
  await page.getByRole('button', { name: 'EN', exact: true }).click();
  await expect(page.getByText('Sign in to Product Tower')).toBeVisible();
  await page.getByLabel('Email').fill(org.pm.email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('me')).toHaveText(org.pm.name);
  await expect(page.getByRole('heading', { name: 'My inbox' })).toBeVisible();
  await expect(page.getByTestId('roles')).toContainText('Product manager');

  // My launch items, titled in English.
  const launchItems = page.locator('.tower-panel').filter({ hasText: 'My launch items' });
  await expect(launchItems.getByRole('row', { name: /Sheet published to staff/ }).first()).toBeVisible();

  // The tower: the branch filter narrows the products to the branch's tower (what launches there, and what
  // is still planned for no branch: the whole chain's), not only their task counts.
  await page.getByRole('navigation').getByRole('button', { name: 'The tower' }).click();
  await expect(page.getByRole('heading', { name: 'The tower' })).toBeVisible();
  const department = page.locator('.tower-panel').filter({ hasText: `皮肤科${org.suffix}` });
  await expect(department.getByRole('link', { name: launching })).toBeVisible();
  await expect(department.getByRole('link', { name: researching })).toBeVisible();
  await expect(department.getByLabel(`皮肤科${org.suffix} Flagship`)).toContainText('Launch');
  await choose(page, 'Branch', `上海${org.suffix}店`);
  await expect(department.getByRole('link', { name: launching })).toBeVisible();
  await expect(department.getByRole('link', { name: researching })).toBeVisible();
  await choose(page, 'Branch', `北京${org.suffix}店`);
  await expect(department.getByRole('link', { name: researching })).toBeVisible();
  await expect(department.getByRole('link', { name: launching })).toHaveCount(0);
  await expectAccessible(page);
  await screenshot(page, 'en-tower');

  // A gate's refusal, in English words.
  await page.goto('/products');
  await page.getByRole('link', { name: researching }).click();
  await expect(page.getByTestId('product-stage')).toHaveText('Research');
  await page.getByRole('button', { name: 'Approve research' }).click();
  const reasons = page.getByTestId('refusal-reasons');
  await expect(reasons).toContainText('Too few competitor prices: 0, at least 3 needed.');
  await expect(reasons).toContainText('The target-customer description is missing.');

  // The checklist in English, and in Chinese after the switch: the template's own Chinese titles.
  await page.goto(`/launch?product=${launchingId}`);
  await expect(page.getByRole('heading', { name: 'Launch checklist' })).toBeVisible();
  await expect(page.getByRole('cell', { name: 'Sheet published to staff', exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Complete Sheet published to staff' })).toBeVisible();
  await screenshot(page, 'en-launch');
  await page.getByRole('button', { name: '中文', exact: true }).click();
  await expect(page.getByRole('heading', { name: '上市清单' })).toBeVisible();
  await expect(page.getByRole('cell', { name: '产品信息表已发布给员工', exact: true })).toBeVisible();
  await expect(page.getByRole('cell', { name: 'Sheet published to staff', exact: true })).toHaveCount(0);
});
