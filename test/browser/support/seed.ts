// Sets the scene for a journey through the API (as the people themselves), so each journey's UI steps
// start from a realistic state. Nothing here touches the database directly: the product is a black box.
import { randomBytes } from 'node:crypto';
import { ADMIN, BASE_URL, PASSWORD } from './env.js';

export interface Session {
  id: string;
  token: string;
  email: string;
  name: string;
}

export async function http(method: string, path: string, token: string | undefined, body?: unknown) {
  const res = await fetch(`${BASE_URL}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  const json = text ? JSON.parse(text) : undefined;
  return { status: res.status, body: json };
}

/** A call that must succeed (2xx); anything else fails the journey with the API's answer. */
export async function ok(
  method: string,
  path: string,
  token: string | undefined,
  body?: unknown,
): Promise<any> {
  const res = await http(method, path, token, body);
  if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function login(email: string, password: string): Promise<string> {
  return (await ok('POST', '/api/auth/login', undefined, { email, password })).token;
}

export interface Org {
  admin: Session;
  suffix: string;
  departmentId: string;
  branchId: string;
  pm: Session;
  marketing: Session;
  deptManager: Session;
  compliance: Session;
  director: Session;
}

/** A department, a branch and one person per role (names in Chinese), unique to this journey. */
export async function seedOrg(): Promise<Org> {
  const suffix = randomBytes(3).toString('hex');
  const adminToken = await login(ADMIN.email, ADMIN.password);
  const me = await ok('GET', '/api/people/me', adminToken);
  const admin: Session = { id: me.id, token: adminToken, email: ADMIN.email, name: me.name };
  const department = await ok('POST', '/api/departments', adminToken, {
    code: `skin${suffix}`,
    name: `皮肤科${suffix}`,
  });
  const branch = await ok('POST', '/api/branches', adminToken, {
    code: `sh${suffix}`,
    name: `上海${suffix}店`,
  });
  const person = async (
    name: string,
    role: string,
    scope: { departmentId?: string; branchId?: string } = {},
  ) => {
    const email = `${role}-${suffix}@e2e.example`;
    const created = await ok('POST', '/api/people', adminToken, {
      name,
      email,
      password: PASSWORD,
      roles: [{ role, ...scope }],
    });
    return { id: created.id, token: await login(email, PASSWORD), email, name } satisfies Session;
  };
  return {
    admin,
    suffix,
    departmentId: department.id,
    branchId: branch.id,
    pm: await person(`产品经理${suffix}`, 'product_manager', { departmentId: department.id }),
    marketing: await person(`营销经理${suffix}`, 'marketing_manager'),
    deptManager: await person(`科室经理${suffix}`, 'department_manager', {
      departmentId: department.id,
      branchId: branch.id,
    }),
    compliance: await person(`合规专员${suffix}`, 'compliance_officer'),
    director: await person(`总监${suffix}`, 'director'),
  };
}

export const COMPLETE_SHEET = {
  spec: '1 ml 预灌封注射器',
  certification: 'NMPA 国械注准 20233130001',
  ingredients: '交联透明质酸 20 mg/ml，利多卡因 0.3 %',
  efficacy: '多数求美者中面部容量恢复可维持 9 至 12 个月',
  targetCustomers: '28–45 岁中面部容量缺失女性',
  sellingPoints: '凝胶顺滑，含利多卡因，效果自然',
  comparison: '比引流款玻尿酸维持更久',
  precautions: '48 小时内避免高温与按摩',
  clinicalInfo: '多中心试验 n=240，随访 12 个月',
  salesScripts: '说明预期维持时间与两周复诊',
  indications: ['中面部容量缺失'],
  contraindications: ['妊娠期', '注射部位皮肤感染'],
};

export async function createProduct(org: Org, name: string, tier = 'profit'): Promise<string> {
  const product = await ok('POST', '/api/products', org.pm.token, {
    name,
    departmentId: org.departmentId,
    tier,
    ownerId: org.pm.id,
  });
  return product.id;
}

export const event = (token: string, productId: string, type: string, reason?: string) =>
  ok('POST', `/api/products/${productId}/events`, token, { type, ...(reason ? { reason } : {}) });

export async function passResearch(org: Org, productId: string): Promise<void> {
  for (const [competitor, priceFen] of [
    ['新氧A', 280_000],
    ['美团B', 310_000],
    ['更美C', 295_000],
  ] as const) {
    await ok('POST', `/api/products/${productId}/competitor-prices`, org.pm.token, {
      competitor,
      priceFen,
      observedAt: '2026-10-20',
    });
  }
  await ok('PUT', `/api/products/${productId}/target-customers`, org.pm.token, {
    description: '28–45 岁白领女性',
  });
  await event(org.pm.token, productId, 'APPROVE_RESEARCH');
}

/** From research to the launch stage (checklist made), every gate passed the way the people would. */
export async function walkToLaunch(org: Org, productId: string): Promise<void> {
  await passResearch(org, productId);
  await ok('PUT', `/api/products/${productId}/sheet`, org.pm.token, COMPLETE_SHEET);
  await event(org.compliance.token, productId, 'APPROVE_PACKAGING');
  await ok('PUT', `/api/products/${productId}/costs`, org.pm.token, {
    consumablesFen: 60_000,
    labourFen: 20_000,
    overheadFen: 10_000,
    marketingFen: 10_000,
  });
  await ok('PUT', `/api/products/${productId}/prices`, org.pm.token, {
    prices: [
      { type: 'list', amountFen: 300_000 },
      { type: 'activity', amountFen: 180_000 },
    ],
  });
  await event(org.pm.token, productId, 'APPROVE_PRICING');
  await ok('PUT', `/api/products/${productId}/launch-branches`, org.pm.token, {
    branchIds: [org.branchId],
    targetLaunchDate: '2026-12-20',
  });
  for (const [name, role] of [
    ['王医生', 'doctor'],
    ['李咨询', 'consultant'],
  ] as const) {
    const trainee = await ok('POST', `/api/products/${productId}/trainees`, org.pm.token, {
      branchId: org.branchId,
      name,
      role,
    });
    await ok('POST', `/api/products/${productId}/trainees/${trainee.id}/result`, org.pm.token, {
      passed: true,
      score: 92,
      at: new Date().toISOString(),
    });
  }
  await event(org.pm.token, productId, 'COMPLETE_TRAINING');
}

/** Completes the open checklist items of every role but `except`, as their holders. */
export async function completeChecklist(org: Org, productId: string, except?: string): Promise<void> {
  const tokens: Record<string, string> = {
    product_manager: org.pm.token,
    marketing_manager: org.marketing.token,
    department_manager: org.deptManager.token,
    compliance_officer: org.compliance.token,
  };
  const { items } = await ok('GET', `/api/products/${productId}/launch`, org.pm.token);
  for (const item of items) {
    if (item.status === 'done' || item.ownerRole === except) continue;
    await ok('POST', `/api/launch-items/${item.id}/complete`, tokens[item.ownerRole], { note: '已完成' });
  }
}

export async function walkToMonitoring(org: Org, productId: string): Promise<void> {
  await walkToLaunch(org, productId);
  await completeChecklist(org, productId);
  await event(org.pm.token, productId, 'LAUNCH');
}

/** Polls `check` until it returns a value (not undefined) or the deadline passes. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}
