import { expect, test } from '@playwright/test';
import { ADMIN, PASSWORD } from './support/env.js';

// A product manager brings a CSV export in: upload, the preview with its problem highlighted, the
// commit with its progress bar, the summary.
test('a product manager imports a sales CSV: preview with problems, progress bar, summary', async ({
  page,
  request,
}) => {
  const login = await request.post('/api/auth/login', { data: ADMIN });
  const admin = { authorization: `Bearer ${(await login.json()).token}` };
  const suffix = Date.now().toString(36);
  const department = await (
    await request.post('/api/departments', { headers: admin, data: { code: `imp${suffix}`, name: '皮肤科' } })
  ).json();
  const branch = await request.post('/api/branches', {
    headers: admin,
    data: { code: `sh${suffix}`, name: '静安院区' },
  });
  expect(branch.status()).toBe(201);
  const email = `pm-${suffix}@e2e.example`;
  const pm = await (
    await request.post('/api/people', {
      headers: admin,
      data: { name: '导入产品经理', email, password: PASSWORD, roles: [{ role: 'product_manager' }] },
    })
  ).json();
  const product = await request.post('/api/products', {
    headers: admin,
    data: { name: `光子嫩肤 ${suffix}`, departmentId: department.id, tier: 'profit', ownerId: pm.id },
  });
  expect(product.status()).toBe(201);

  const rows = Array.from(
    { length: 60 },
    (_, i) => `2026/10/${(i % 28) + 1},SH${suffix},光子嫩肤 ${suffix},1,"1,280.50",1,${i >= 28 ? 'x' : '0'}`,
  );
  // Branch codes match whatever their case. Row 2 names a product nobody has; the rows after day 28 repeat earlier dates, so they are refused.
  const csv = `日期,院区,项目,数量,实收金额（元）,订单数,老客订单\n2026/10/1,SH${suffix},超声炮,1,100,1,0\n${rows.join('\n')}\n`;

  await page.goto('/imports');
  await page.getByLabel('邮箱').fill(email);
  await page.getByLabel('密码').fill(PASSWORD);
  await page.getByRole('button', { name: /登\s*录/ }).click();
  await expect(page.getByRole('heading', { name: '导入数据' })).toBeVisible();

  await page.locator('input[type=file]').setInputFiles({
    name: '十月销售.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(csv, 'utf8'),
  });
  await page.getByRole('button', { name: '上传并预览' }).click();
  await expect(page.getByTestId('import-status')).toHaveText('待确认');
  await expect(page.getByTestId('preview-row-2')).toContainText('将拒收');
  await expect(page.getByTestId('preview-row-3')).toContainText('将入库');
  // The problems in the page's language (the API's message is English; its code and values word it).
  await expect(page.getByTestId('problems')).toContainText('没有编码或名称为“超声炮”的项目');
  await expect(page.getByTestId('problems')).toContainText('不是整数');
  await expect(page.getByTestId('problems')).not.toContainText('no product with this code or name');
  await expect(page.getByTestId('problem-cell').first()).toHaveText('超声炮');
  await page.getByTestId('problem-cell').first().hover();
  await expect(page.getByRole('tooltip')).toHaveText('没有编码或名称为“超声炮”的项目');
  await page.screenshot({ path: 'browser/artifacts/imports-preview.png', fullPage: true });
  await page.getByText('EN', { exact: true }).click();
  await expect(page.getByTestId('problems')).toContainText('no product with this code or name: "超声炮"');
  await page.screenshot({ path: 'browser/artifacts/imports-preview-en.png', fullPage: true });
  await page.getByText('中文', { exact: true }).click();
  await expect(page.getByTestId('problems')).toContainText('没有编码或名称为“超声炮”的项目');

  await page.getByRole('button', { name: /确认导入/ }).click();
  await expect(page.getByTestId('import-progress')).toBeVisible();
  await expect(page.getByTestId('import-status')).toHaveText('已完成', { timeout: 60_000 });
  await expect(page.getByRole('progressbar', { name: '导入进度' })).toHaveAttribute('aria-valuenow', '100');
  await expect(page.getByTestId('import-summary')).toHaveText('已入库 28 行，拒收 33 行，共 61 行');
  await expect(page.getByRole('button', { name: '下载拒收行（含原因）' })).toBeVisible();
  await page.screenshot({ path: 'browser/artifacts/imports-done.png', fullPage: true });
});
