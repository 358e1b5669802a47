import { expect, test } from '@playwright/test';
import { ADMIN } from './support/env.js';

test('a deep link asks for sign-in, then opens where it pointed', async ({ page }) => {
  await page.goto('/products/00000000-0000-0000-0000-000000000000');
  await expect(page.getByRole('heading', { name: '产品塔' })).toBeVisible();
  await page.getByLabel('邮箱').fill(ADMIN.email);
  await page.getByLabel('密码').fill(ADMIN.password);
  await page.getByRole('button', { name: /登\s*录/ }).click();
  await expect(page.getByTestId('me')).toHaveText('Administrator');
  await expect(page).toHaveURL(/\/products\/00000000/);
});
