import { expect, test, type Page } from '@playwright/test';
import { ADMIN, PASSWORD } from './support/env.js';
import { ingestDip } from './support/sales.js';
import {
  COMPLETE_SHEET,
  completeChecklist,
  createProduct,
  event,
  eventually,
  ok,
  passResearch,
  seedOrg,
  walkToLaunch,
  walkToMonitoring,
  type Org,
  type Session,
} from './support/seed.js';
import { choose, pickDate, screenshot, signIn } from './support/ui.js';

const as = (page: Page, who: Session) => signIn(page, who.email, PASSWORD, who.name);
const stage = (page: Page) => page.getByTestId('product-stage');

test('the product manager walks a product from research to launch', async ({ page }) => {
  test.setTimeout(360_000);
  const org = await seedOrg();
  const name = `玻尿酸${org.suffix}`;
  await as(page, org.pm);
  await page.getByRole('navigation').getByRole('button', { name: '产品', exact: true }).click();
  await page.getByRole('button', { name: '新建产品' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('名称').fill(name);
  await choose(page, '科室', `皮肤科${org.suffix}`, dialog);
  await choose(page, '层级', '利润款', dialog);
  await dialog.getByRole('button', { name: '保存' }).click();
  await expect(page.getByRole('heading', { name })).toBeVisible();
  await expect(stage(page)).toHaveText('市场调研');

  // The research gate refuses in words, naming both missing things.
  await page.getByRole('button', { name: '通过调研' }).click();
  const reasons = page.getByTestId('refusal-reasons');
  await expect(reasons).toContainText('竞品价格不足：已有 0 条，至少需要 3 条。');
  await expect(reasons).toContainText('缺少目标客群描述。');

  await page.getByRole('tab', { name: '竞品价格' }).click();
  await page.getByLabel('目标客群描述').fill('28–45 岁白领女性，首次注射');
  await page.getByRole('button', { name: '保存' }).click();
  for (const [competitor, yuan] of [
    ['新氧A', '2800'],
    ['美团B', '3100'],
    ['更美C', '2950'],
  ] as const) {
    await page.getByLabel('竞品', { exact: true }).fill(competitor);
    await page.getByLabel('金额（元）').fill(yuan);
    await pickDate(page, '观察日期', '2026-10-20');
    await page.getByRole('button', { name: '添加' }).click();
    await expect(page.getByRole('cell', { name: competitor })).toBeVisible();
  }
  await expect(page.getByRole('cell', { name: '¥3,100.00' })).toBeVisible();
  await page.getByRole('button', { name: '通过调研' }).click();
  await expect(stage(page)).toHaveText('再包装');

  await page.getByRole('tab', { name: '产品信息表' }).click();
  for (const [field, label] of [
    ['spec', '规格'],
    ['certification', '资质证明'],
    ['ingredients', '成分'],
    ['efficacy', '功效'],
    ['targetCustomers', '目标客群'],
    ['sellingPoints', '卖点'],
    ['comparison', '竞品对比'],
    ['precautions', '注意事项'],
    ['clinicalInfo', '临床信息'],
    ['salesScripts', '销售话术'],
  ] as const) {
    await page.getByLabel(label, { exact: true }).fill(COMPLETE_SHEET[field]);
  }
  await page.getByLabel('适应症', { exact: true }).fill(COMPLETE_SHEET.indications.join('\n'));
  await page.getByLabel('禁忌症', { exact: true }).fill(COMPLETE_SHEET.contraindications.join('\n'));
  // The sheet's own save: an earlier field's 已保存 toast may still be showing beside the new one.
  await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/sheet') && r.request().method() === 'PUT' && r.ok()),
    page.getByRole('button', { name: '保存' }).click(),
  ]);
  await expect(page.getByText('已保存').first()).toBeVisible();
  // Packaging is the compliance officer's to approve (their own journey below).
  await event(org.compliance.token, await productId(page), 'APPROVE_PACKAGING');
  await page.reload();
  await expect(stage(page)).toHaveText('定价');

  await page.getByRole('tab', { name: '成本 / 七种价格' }).click();
  await page.getByLabel('耗材').fill('600');
  await page.getByLabel('人工').fill('200');
  await page.getByLabel('管理费用').fill('100');
  await page.getByLabel('营销').fill('100');
  await page.getByRole('button', { name: '保存' }).first().click();
  await expect(page.getByTestId('floor')).toHaveText('¥1,400.00');
  await page.getByLabel('标准价 金额（元）').fill('3000');
  await page.getByLabel('活动价 金额（元）').fill('1800');
  await page.getByRole('button', { name: '保存' }).nth(1).click();
  await expect(page.getByText('已保存').first()).toBeVisible();
  await page.getByRole('button', { name: '通过定价' }).click();
  await expect(stage(page)).toHaveText('培训');

  await page.getByRole('tab', { name: '上市门店 / 培训人员' }).click();
  await choose(page, '上市门店', `上海${org.suffix}店`);
  await page.keyboard.press('Escape');
  await pickDate(page, '目标上市日期', '2026-12-20');
  await page.getByRole('button', { name: '保存' }).click();
  await expect(page.getByText('已保存').first()).toBeVisible();
  for (const [trainee, role] of [
    ['王医生', '医生'],
    ['李咨询', '咨询师'],
  ] as const) {
    await choose(page, '门店', `上海${org.suffix}店`);
    await page.getByLabel('名称').fill(trainee);
    await choose(page, '岗位', role);
    await page.getByRole('button', { name: '添加' }).click();
    const row = page.getByRole('row', { name: new RegExp(trainee) });
    await expect(row).toBeVisible();
    await row.getByRole('button', { name: '通过' }).click();
    await expect(row.getByText('是')).toBeVisible();
  }
  await page.getByRole('button', { name: '完成培训' }).click();
  await expect(stage(page)).toHaveText('上线');

  // Everyone else ticks their checklist items; the product manager's own are ticked here.
  const id = await productId(page);
  await completeChecklist(org, id, 'product_manager');
  await page.goto(`/launch?product=${id}`);
  await expect(page.getByRole('progressbar')).toBeVisible();
  const mine = page.getByRole('button', { name: /^完成 / });
  // The checklist's table loads its code beside the page: wait for the rows before counting them.
  await expect(mine.first()).toBeVisible();
  for (let n = await mine.count(); n > 0; n = await mine.count()) {
    await mine.first().click();
    await expect(mine).toHaveCount(n - 1);
  }
  await expect(page.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100');
  await page.goto(`/products/${id}`);
  await page.getByRole('button', { name: '上市', exact: true }).click();
  await expect(stage(page)).toHaveText('在售监控');
  await page.getByRole('tab', { name: '历史' }).click();
  for (const line of ['通过调研 · 市场调研 → 再包装', '通过定价 · 定价 → 培训', '上市 · 上线 → 在售监控']) {
    await expect(page.getByText(line)).toBeVisible();
  }
  await screenshot(page, 'journey-product-manager');
});

test('the compliance officer sees an over-promise term highlighted, refuses, then approves', async ({
  page,
}) => {
  const org = await seedOrg();
  const id = await createProduct(org, `线雕${org.suffix}`);
  await passResearch(org, id);
  await ok('PUT', `/api/products/${id}/sheet`, org.pm.token, {
    ...COMPLETE_SHEET,
    efficacy: '提升效果永久保持，术后即刻年轻',
  });
  await signIn(page, org.compliance.email, PASSWORD, org.compliance.name, `/products/${id}`);
  await expect(stage(page)).toHaveText('再包装');
  await expect(page.locator('mark[data-over-promise="永久"]')).toBeVisible();
  await expect(page.getByRole('alert').filter({ hasText: '发现 1 处违规用语：永久' })).toBeVisible();
  // As the text changes, the marks follow it (the same rule the gate uses).
  await page.getByLabel('卖点', { exact: true }).fill('国家级专家操作，100%满意');
  await expect(page.locator('mark[data-over-promise="国家级"]')).toBeVisible();
  await expect(page.locator('mark[data-over-promise="100%"]')).toBeVisible();
  await screenshot(page, 'journey-compliance-highlight');

  await page.getByRole('button', { name: '通过包装审核' }).click();
  await expect(page.getByTestId('refusal-reasons')).toContainText('「功效」含违规用语「永久」');
  await expect(stage(page)).toHaveText('再包装');

  await ok('PUT', `/api/products/${id}/sheet`, org.pm.token, COMPLETE_SHEET);
  await page.reload();
  await expect(page.locator('mark[data-over-promise]')).toHaveCount(0);
  await page.getByRole('button', { name: '通过包装审核' }).click();
  await expect(stage(page)).toHaveText('定价');
});

async function waitForTask(
  who: Session,
  productId: string,
  signal: string,
  predicate: (task: any) => boolean = () => true,
) {
  return eventually(
    async () => {
      const { items } = await ok(
        'GET',
        `/api/tasks?mine=true&productId=${productId}&signal=${signal}`,
        who.token,
      );
      return (items as any[]).find(predicate);
    },
    `${signal} task for ${who.name}`,
    90_000,
  );
}

async function severeComplaint(org: Org, productId: string) {
  await ok('POST', '/api/ingest/complaints', org.admin.token, {
    externalId: `c-${org.suffix}`,
    productId,
    branchId: org.branchId,
    occurredAt: new Date().toISOString(),
    category: 'adverse_reaction',
    severity: 'critical',
    text: '注射后局部红肿，电话 13812345678',
    customerPhone: '13812345678',
  });
}

test('the department manager completes their launch items and acknowledges a complaint task', async ({
  page,
}) => {
  const org = await seedOrg();
  const id = await createProduct(org, `热玛吉${org.suffix}`, 'flagship');
  await walkToLaunch(org, id);
  await completeChecklist(org, id, 'department_manager');
  await as(page, org.deptManager);
  const launchCard = page.locator('.tower-panel').filter({ hasText: '我的上市事项' });
  await expect(launchCard.getByRole('link', { name: `热玛吉${org.suffix}` }).first()).toBeVisible();
  await launchCard
    .getByRole('link', { name: `热玛吉${org.suffix}` })
    .first()
    .click();
  const mine = page.getByRole('button', { name: /^完成 / });
  await expect(mine.first()).toBeVisible();
  for (let n = await mine.count(); n > 0; n = await mine.count()) {
    await mine.first().click();
    await expect(mine).toHaveCount(n - 1);
  }
  await expect(page.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100');

  await event(org.pm.token, id, 'LAUNCH');
  await severeComplaint(org, id);
  const task = await waitForTask(org.deptManager, id, 'severe_complaint');
  await page.getByRole('navigation').getByRole('button', { name: '我的待办' }).click();
  await page.getByRole('link', { name: '严重投诉' }).first().click();
  await expect(page).toHaveURL(new RegExp(`/tasks/${task.id}`));
  await expect(page.getByTestId('task-status')).toHaveText('待处理');
  await expect(page.getByText('13812345678')).toHaveCount(0);
  await page.getByRole('button', { name: '确认收到' }).click();
  await expect(page.getByTestId('task-status')).toHaveText('已确认');
});

test('the marketing manager resolves a sales dip with a decision', async ({ page }) => {
  const org = await seedOrg();
  const id = await createProduct(org, `水光针${org.suffix}`);
  await walkToMonitoring(org, id);
  await ingestDip(org, id);
  const task = await waitForTask(org.marketing, id, 'sales_dip');
  await as(page, org.marketing);
  const row = page.getByRole('row', { name: new RegExp(`水光针${org.suffix}`) });
  await expect(row).toContainText('销量下滑');
  await row.getByRole('link', { name: '销量下滑' }).click();
  await expect(page).toHaveURL(new RegExp(`/tasks/${task.id}`));
  await expect(page.getByRole('img', { name: '销量与基线' })).toBeVisible();
  await choose(page, '决定', '调价');
  await expect(page.getByText('产品将进入：定价')).toBeVisible();
  await choose(page, '决定', '加推');
  await expect(page.getByText('产品保持当前阶段')).toBeVisible();
  await page.getByLabel('备注').fill('双十二加推，配合会员价');
  await page.getByRole('button', { name: '处理并关闭' }).click();
  await expect(page.getByTestId('task-status')).toHaveText('已处理');
  await expect(page.getByText('已处理：加推')).toBeVisible();
  await page.getByRole('button', { name: '误报' }).click();
  await expect(page.getByText('感谢反馈')).toBeVisible();
  await screenshot(page, 'journey-marketing');
});

test('the director sees an escalation', async ({ page }) => {
  const org = await seedOrg();
  const id = await createProduct(org, `肉毒素${org.suffix}`);
  await walkToMonitoring(org, id);
  const rules = await ok('GET', '/api/rules', org.admin.token);
  const sla = rules.signals.severe_complaint.ackSlaSeconds;
  await ok('PUT', '/api/rules', org.admin.token, { signals: { severe_complaint: { ackSlaSeconds: 2 } } });
  try {
    await severeComplaint(org, id);
    const task = await waitForTask(org.director, id, 'severe_complaint', (t) => t.escalationLevel >= 1);
    await as(page, org.director);
    const row = page.getByRole('row', { name: new RegExp(`肉毒素${org.suffix}`) });
    await expect(row).toContainText('严重投诉');
    await expect(row).toContainText('危急');
    await expect(row.locator('.ant-badge')).toContainText(String(task.escalationLevel));
    await row.getByRole('link', { name: '严重投诉' }).click();
    await expect(page.getByRole('row', { name: /升级级别/ })).toContainText(String(task.escalationLevel));
    await screenshot(page, 'journey-director');
  } finally {
    await ok('PUT', '/api/rules', org.admin.token, { signals: { severe_complaint: { ackSlaSeconds: sla } } });
  }
});

test('the admin adds a person, with the API’s problems shown at the field', async ({ page }) => {
  const org = await seedOrg();
  await signIn(page, ADMIN.email, ADMIN.password, 'Administrator', '/admin');
  await page.getByRole('button', { name: '添加人员' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('名称').fill(`新同事${org.suffix}`);
  await dialog.getByLabel('邮箱').fill('not-an-email');
  await dialog.getByLabel('密码').fill('short');
  await choose(page, '角色', '科室经理', dialog);
  await choose(page, '科室', `皮肤科${org.suffix}`, dialog);
  await dialog.getByRole('button', { name: '保存' }).click();
  await expect(dialog.locator('#email_help, .ant-form-item-explain-error').first()).toBeVisible();
  await expect(dialog.getByLabel('名称')).toHaveValue(`新同事${org.suffix}`);
  await dialog.getByLabel('邮箱').fill(`new-${org.suffix}@e2e.example`);
  await dialog.getByLabel('密码').fill('a-long-enough-password');
  await dialog.getByRole('button', { name: '保存' }).click();
  await expect(dialog).toBeHidden();
  await page.getByLabel('搜索').fill(`新同事${org.suffix}`);
  const row = page.getByRole('row', { name: new RegExp(`新同事${org.suffix}`) });
  await expect(row).toContainText(`科室经理 · 皮肤科${org.suffix}`);
  await screenshot(page, 'journey-admin');
});

async function productId(page: Page): Promise<string> {
  const match = /\/products\/([0-9a-f-]{36})/.exec(page.url());
  if (!match?.[1]) throw new Error(`not on a product page: ${page.url()}`);
  return match[1];
}
