/**
 * A realistic demo chain, deterministic from its seed: branches in two cities, the four departments,
 * a product tower per department over every tier and stage, people of every role, and a year of daily
 * sales with weekday and seasonal patterns, Chinese holidays (调休 included) and the 618/双11 peaks.
 * Planted stories: products that fade, a complaint cluster, a competitor undercut, a cost rise under
 * the floor, a package card being retired, a product launched mid-year. Pure: no I/O.
 */
import { addDays, daysBetween, weekday, type Role, type Tier } from '@tower/domain';
import { calendarDay, CHINA_CALENDAR, type CalendarDay } from './calendar.js';
import { Random } from './random.js';

export interface DemoOptions {
  readonly seed?: number;
  /** The last day of sales (`YYYY-MM-DD`); the year before it is generated. */
  readonly end: string;
  readonly days?: number;
  /** Products over the four departments (the 40 named ones, then numbered variants). */
  readonly products?: number;
  /** Branches per city (two cities). */
  readonly branchesPerCity?: number;
  /** Sell every product at every branch (the benchmark's chain) instead of 2–4 branches each. */
  readonly everywhere?: boolean;
}

export interface DemoBranch {
  readonly code: string;
  readonly name: string;
  readonly city: string;
  /** Footfall relative to an average branch. */
  readonly factor: number;
}
export interface DemoDepartment {
  readonly code: string;
  readonly name: string;
}
export interface DemoPerson {
  readonly key: string;
  readonly name: string;
  readonly email: string;
  readonly roles: readonly { role: Role; department?: string; branch?: string }[];
}
export type DemoStage =
  | 'research'
  | 'packaging'
  | 'pricing'
  | 'training'
  | 'launch'
  | 'monitoring'
  | 'retirement'
  | 'retired'
  | 'rejected';
export type DemoPlant =
  | 'fading_sharp'
  | 'fading'
  | 'complaint_cluster'
  | 'undercut'
  | 'cost_rise'
  | 'retiring_card'
  | 'launched_mid_year'
  | 'below_cost';

export interface DemoProduct {
  readonly key: string;
  readonly index: number;
  readonly name: string;
  readonly department: string;
  readonly tier: Tier;
  readonly owner: string;
  readonly vendor: string;
  readonly stage: DemoStage;
  readonly listFen: number;
  readonly activityFen: number;
  readonly costs: {
    readonly consumablesFen: number;
    readonly labourFen: number;
    readonly overheadFen: number;
    readonly marketingFen: number;
  };
  /** Branch codes it is launched at (sold at, once on sale). */
  readonly branches: readonly string[];
  /** Mean units a day at an average branch. */
  readonly baseDaily: number;
  /** The day its sales start (its launch, for the planted mid-year launch; else the first day). */
  readonly salesFrom: string;
  readonly plants: readonly DemoPlant[];
}

export interface DemoSalesRow {
  productId: string;
  branchId: string;
  date: string;
  units: number;
  revenueFen: number;
  orders: number;
  returningOrders: number;
}

export interface DemoComplaint {
  readonly externalId: string;
  readonly product: string;
  readonly branch: string;
  readonly occurredAt: string;
  readonly category: string;
  readonly severity: 'low' | 'medium' | 'high' | 'critical';
  readonly text: string;
  readonly customerPhone: string;
}

export interface DemoChain {
  readonly seed: number;
  readonly from: string;
  readonly to: string;
  readonly branches: readonly DemoBranch[];
  readonly departments: readonly DemoDepartment[];
  readonly people: readonly DemoPerson[];
  readonly products: readonly DemoProduct[];
  readonly calendar: readonly CalendarDay[];
  readonly complaints: readonly DemoComplaint[];
  readonly competitorUndercuts: readonly {
    product: string;
    competitor: string;
    priceFen: number;
    observedAt: string;
    platform: string;
  }[];
  readonly costChanges: readonly { product: string; consumablesFen: number; effectiveOn: string }[];
}

export const DEMO_PASSWORD = 'tower-demo-2026';

export const DEMO_DEPARTMENTS: readonly DemoDepartment[] = [
  { code: 'surgery', name: '整形外科' },
  { code: 'skin', name: '皮肤科' },
  { code: 'injection', name: '注射微整' },
  { code: 'tcm', name: '中医' },
];

const CITIES = [
  { code: 'SH', name: '上海', districts: ['静安', '徐汇', '浦东', '长宁', '闵行', '杨浦'] },
  { code: 'HZ', name: '杭州', districts: ['西湖', '滨江', '拱墅', '上城', '余杭', '萧山'] },
];

/** The named tower of each department: name, tier, and the stage the demo leaves it in. */
const CATALOGUE: Record<string, readonly [string, Tier, DemoStage, ...DemoPlant[]][]> = {
  surgery: [
    ['韩式双眼皮', 'profit', 'monitoring'],
    ['自体脂肪填充', 'profit', 'monitoring'],
    ['鼻综合', 'flagship', 'monitoring'],
    ['眼袋去除', 'profit', 'monitoring', 'complaint_cluster'],
    ['吸脂塑形', 'custom', 'monitoring'],
    ['面部提升定制', 'custom', 'monitoring'],
    ['祛眼袋体验价', 'traffic', 'monitoring'],
    ['术后修复疗程卡', 'package', 'monitoring'],
    ['隆鼻（硅胶）', 'profit', 'rejected'],
    ['下颌角整形', 'custom', 'training'],
  ],
  skin: [
    ['小气泡清洁', 'traffic', 'monitoring'],
    ['光子嫩肤', 'profit', 'monitoring'],
    ['热玛吉', 'flagship', 'monitoring'],
    ['超皮秒祛斑', 'profit', 'monitoring', 'cost_rise'],
    ['果酸焕肤', 'traffic', 'monitoring', 'fading'],
    ['水光焕肤次卡', 'package', 'retirement', 'retiring_card'],
    ['点阵激光', 'profit', 'monitoring'],
    ['黄金微针', 'profit', 'monitoring', 'launched_mid_year'],
    ['祛痘疗程卡', 'package', 'monitoring'],
    ['定制肤质管理', 'custom', 'research'],
  ],
  injection: [
    ['玻尿酸填充', 'profit', 'monitoring', 'undercut'],
    ['肉毒素除皱', 'traffic', 'monitoring'],
    ['童颜针', 'flagship', 'monitoring'],
    ['溶脂针', 'profit', 'monitoring'],
    ['水光针', 'traffic', 'monitoring', 'fading_sharp'],
    ['少女针', 'profit', 'monitoring'],
    ['线雕提升', 'flagship', 'monitoring'],
    ['注射套餐卡', 'package', 'monitoring'],
    ['面部轮廓定制注射', 'custom', 'pricing'],
    ['瘦脸针', 'profit', 'monitoring'],
  ],
  tcm: [
    ['针灸减重', 'profit', 'monitoring'],
    ['中药面膜', 'traffic', 'monitoring'],
    ['艾灸调理', 'traffic', 'monitoring', 'fading', 'below_cost'],
    ['埋线减重', 'profit', 'monitoring'],
    ['推拿疗程卡', 'package', 'monitoring'],
    ['中医体质调理', 'custom', 'monitoring'],
    ['刮痧体验', 'traffic', 'monitoring'],
    ['穴位贴敷', 'profit', 'launch'],
    ['中医美容主推', 'flagship', 'packaging'],
    ['养生年卡', 'package', 'retired'],
  ],
};

const VENDORS = ['华熙生物', '爱美客', '昊海生科', '复锐医疗', '赛诺秀', '同仁堂', '艾尔建', '高德美'];

const TIER_MODEL: Record<
  Tier,
  {
    listYuan: [number, number];
    costRatio: number;
    discount: number;
    base: number;
    returning: number;
  }
> = {
  traffic: { listYuan: [99, 699], costRatio: 0.8, discount: 0.08, base: 5, returning: 0.15 },
  profit: { listYuan: [1_980, 9_800], costRatio: 0.55, discount: 0.1, base: 2, returning: 0.35 },
  flagship: { listYuan: [12_800, 29_800], costRatio: 0.6, discount: 0.05, base: 1.2, returning: 0.3 },
  custom: { listYuan: [19_800, 68_000], costRatio: 0.5, discount: 0, base: 0.25, returning: 0.1 },
  package: { listYuan: [2_980, 12_800], costRatio: 0.7, discount: 0.08, base: 0.7, returning: 0.6 },
};

/** Sun … Sat. */
const WEEKDAY = [1.35, 0.75, 0.85, 0.9, 0.95, 1.1, 1.45];
/** Jan … Dec: quieter in February (春节) and summer, busiest before the new year. */
const MONTH = [1.1, 0.8, 0.95, 1.0, 1.05, 1.0, 0.9, 0.9, 1.0, 1.1, 1.15, 1.2];

function hash(...parts: readonly number[]): number {
  let h = 2166136261;
  for (const p of parts) {
    h ^= p >>> 0;
    h = Math.imul(h, 16777619);
    h ^= h >>> 13;
  }
  return h >>> 0;
}

export function generateDemoChain(options: DemoOptions): DemoChain {
  const seed = options.seed ?? 20_261_201;
  const days = options.days ?? 365;
  const to = options.end;
  const from = addDays(to, -(days - 1));
  const rng = new Random(seed);
  const perCity = options.branchesPerCity ?? 2;

  const branches: DemoBranch[] = CITIES.flatMap((city) =>
    Array.from({ length: perCity }, (_, i) => {
      const district = city.districts[i % city.districts.length]!;
      const suffix = i < city.districts.length ? '' : String(Math.floor(i / city.districts.length) + 1);
      return {
        // As chains write them: the city in capitals and a number (SH01, HZ02).
        code: `${city.code}${String(i + 1).padStart(2, '0')}`,
        name: `${city.name}${district}${suffix}院`,
        city: city.name,
        factor: Math.round((0.7 + rng.next() * 0.7) * 100) / 100,
      };
    }),
  );

  const people: DemoPerson[] = [
    { key: 'director', name: '周总监', email: 'director@demo.tower', roles: [{ role: 'director' }] },
    {
      key: 'pm_face',
      name: '陈产品',
      email: 'pm.chen@demo.tower',
      roles: [{ role: 'product_manager' }],
    },
    {
      key: 'pm_body',
      name: '林产品',
      email: 'pm.lin@demo.tower',
      roles: [{ role: 'product_manager' }],
    },
    {
      key: 'marketing',
      name: '王营销',
      email: 'marketing@demo.tower',
      roles: [{ role: 'marketing_manager' }],
    },
    {
      key: 'compliance',
      name: '赵合规',
      email: 'compliance@demo.tower',
      roles: [{ role: 'compliance_officer' }],
    },
    // A head of each department across the chain (科室总监), and a manager per department and branch.
    ...DEMO_DEPARTMENTS.map((d) => ({
      key: `head_${d.code}`,
      name: `${d.name}总监`,
      email: `head.${d.code}@demo.tower`,
      roles: [{ role: 'department_manager' as const, department: d.code }],
    })),
    ...DEMO_DEPARTMENTS.flatMap((d, di) =>
      branches.map((b, bi) => ({
        key: `dm_${d.code}_${b.code}`,
        name: `${b.name}${d.name}主任${di * branches.length + bi + 1}`,
        email: `dm.${d.code}.${b.code.toLowerCase()}@demo.tower`,
        roles: [{ role: 'department_manager' as const, department: d.code, branch: b.code }],
      })),
    ),
  ];

  const count = options.products ?? 40;
  const products: DemoProduct[] = [];
  for (let index = 0; index < count; index++) {
    const department = DEMO_DEPARTMENTS[index % DEMO_DEPARTMENTS.length]!;
    const round = Math.floor(index / DEMO_DEPARTMENTS.length);
    const entry = CATALOGUE[department.code]![round % 10]!;
    const [baseName, tier, namedStage, ...namedPlants] = entry;
    // Past the 40 named products (the benchmark's chain): numbered variants, all on sale, no stories.
    const variant = round >= 10;
    const name = variant ? `${baseName}·${Math.floor(round / 10) + 1}号方案` : baseName;
    const stage: DemoStage = variant ? 'monitoring' : namedStage;
    const plants: DemoPlant[] = variant ? [] : namedPlants;
    const model = TIER_MODEL[tier];
    const listYuan = model.listYuan[0] + rng.next() * (model.listYuan[1] - model.listYuan[0]);
    const listFen = Math.round(listYuan / 10) * 1000;
    const costRatio = plants.includes('below_cost') ? 0.95 : model.costRatio;
    const unitCost = Math.round(listFen * costRatio);
    const consumablesFen = Math.round(unitCost * 0.5);
    const labourFen = Math.round(unitCost * 0.25);
    const overheadFen = Math.round(unitCost * 0.1);
    const marketingFen = unitCost - consumablesFen - labourFen - overheadFen;
    const sold = options.everywhere
      ? branches.map((b) => b.code)
      : branches.filter((_, i) => (i + index) % 2 === 0 || rng.next() < 0.35).map((b) => b.code);
    products.push({
      key: `p${String(index + 1).padStart(4, '0')}`,
      index,
      name,
      department: department.code,
      tier,
      owner: department.code === 'surgery' || department.code === 'tcm' ? 'pm_body' : 'pm_face',
      vendor: rng.pick(VENDORS),
      stage,
      listFen,
      activityFen: Math.floor(listFen / 1.15 / 100) * 100,
      costs: { consumablesFen, labourFen, overheadFen, marketingFen },
      branches: sold.length > 0 ? sold : [branches[0]!.code],
      baseDaily:
        Math.round(model.base * (plants.includes('fading_sharp') ? 1.8 : 0.7 + rng.next() * 0.8) * 100) / 100,
      salesFrom: plants.includes('launched_mid_year') ? addDays(to, -Math.floor(days * 0.36)) : from,
      plants,
    });
  }

  const byPlant = (plant: DemoPlant) => products.find((p) => p.plants.includes(plant));
  const complaints: DemoComplaint[] = [];
  const cluster = byPlant('complaint_cluster');
  if (cluster) {
    const texts = ['术后肿胀一周未消', '效果与术前沟通不符', '两侧不对称', '恢复期比说的长', '复诊等候太久'];
    texts.forEach((text, i) =>
      complaints.push({
        externalId: `demo-${seed}-cluster-${i}`,
        product: cluster.key,
        branch: cluster.branches[0]!,
        occurredAt: `${addDays(to, -6 + i)}T0${2 + i}:30:00Z`,
        category: i === 3 ? 'service' : 'effect_below_expectation',
        severity: i === 0 ? 'high' : 'medium',
        text,
        customerPhone: `1380013${String(1000 + i)}`,
      }),
    );
  }
  // A thin background of complaints over the year, spread so that no other branch looks like a cluster.
  const onSale = products.filter((p) => p.stage === 'monitoring' && !p.plants.includes('complaint_cluster'));
  for (let i = 0; i < Math.min(24, onSale.length) && 10 + i * 14 < days - 1; i++) {
    const product = onSale[(i * 7) % onSale.length]!;
    complaints.push({
      externalId: `demo-${seed}-bg-${i}`,
      product: product.key,
      branch: product.branches[i % product.branches.length]!,
      occurredAt: `${addDays(from, 10 + i * 14)}T06:00:00Z`,
      category: rng.pick(['service', 'price', 'environment', 'effect_below_expectation']),
      severity: 'low',
      text: rng.pick(['前台态度一般', '价格比朋友做的贵', '停车不方便', '效果不太明显']),
      customerPhone: `1391234${String(5000 + i)}`,
    });
  }

  const undercut = byPlant('undercut');
  const competitorUndercuts = undercut
    ? [
        {
          product: undercut.key,
          competitor: '美莱',
          priceFen: Math.round(undercut.listFen * 0.68),
          observedAt: addDays(to, -4),
          platform: '新氧',
        },
      ]
    : [];
  const costRise = byPlant('cost_rise');
  const costChanges = costRise
    ? [
        {
          product: costRise.key,
          // The vendor's price rises 60 %: the list price falls under its floor.
          consumablesFen: Math.round(costRise.costs.consumablesFen * 1.6),
          effectiveOn: addDays(to, -20),
        },
      ]
    : [];

  return {
    seed,
    from,
    to,
    branches,
    departments: DEMO_DEPARTMENTS,
    people,
    products,
    calendar: CHINA_CALENDAR.filter((d) => d.date >= addDays(from, -40) && d.date <= addDays(to, 40)),
    complaints,
    competitorUndercuts,
    costChanges,
  };
}

/** Is the product on sale (selling) in the demo: walked to monitoring, or retiring, or retired later. */
export function sells(product: DemoProduct): boolean {
  return product.stage === 'monitoring' || product.stage === 'retirement' || product.stage === 'retired';
}

interface DayInfo {
  readonly date: string;
  readonly day: CalendarDay | undefined;
  readonly month: number;
  readonly weekday: number;
  /** Share of the year gone, 0 … 1. */
  readonly elapsed: number;
  /** Days until the last day. */
  readonly left: number;
}

const DAYS = new WeakMap<DemoChain, readonly DayInfo[]>();

/** The chain's days with what the sales model reads of each, computed once per chain. */
function daysOf(chain: DemoChain): readonly DayInfo[] {
  let days = DAYS.get(chain);
  if (!days) {
    const total = Math.max(1, daysBetween(chain.from, chain.to));
    const list: DayInfo[] = [];
    for (let i = 0, date = chain.from; date <= chain.to; i++, date = addDays(date, 1)) {
      list.push({
        date,
        day: calendarDay(date),
        month: Number(date.slice(5, 7)),
        weekday: weekday(date),
        elapsed: i / total,
        left: total - i,
      });
    }
    days = list;
    DAYS.set(chain, days);
  }
  return days;
}

function dayFactor(product: DemoProduct, info: DayInfo): number {
  const { day, month } = info;
  let factor = MONTH[month - 1]!;
  // A 调休 weekend day is worked like a weekday.
  factor *= day?.kind === 'workday' ? 0.9 : WEEKDAY[info.weekday]!;
  if (product.department === 'skin' && (month === 7 || month === 8)) factor *= 0.85;
  if (day?.kind === 'holiday') {
    if (day.name === '春节') factor *= 0.35;
    else if (day.name.startsWith('国庆') && product.department === 'surgery') factor *= 1.8;
    else factor *= 1.3;
  }
  if (day?.kind === 'promotion') factor *= day.name === '双11' ? 2.0 : day.name === '618' ? 1.7 : 1.4;
  if (product.plants.includes('fading')) factor *= 1 - 0.55 * info.elapsed;
  else factor *= 0.92 + (((product.index * 37) % 30) / 100) * info.elapsed;
  if (product.plants.includes('fading_sharp')) {
    if (info.left < 12) factor *= 0.3;
    else if (info.left < 40) factor *= 0.85;
  }
  // The retired card stopped selling a month before the end; the retiring one sells on, slowly.
  if (product.stage === 'retired' && info.left < 30) factor = 0;
  if (product.plants.includes('retiring_card')) factor *= 1 - 0.6 * info.elapsed;
  return factor;
}

/**
 * One product's daily sales at one branch over the chain's year, deterministic from the seed and the
 * (product, branch) pair alone, so that any subset can be generated in any order.
 */
export function productSales(
  chain: DemoChain,
  product: DemoProduct,
  branch: DemoBranch,
  ids: { productId: string; branchId: string },
): DemoSalesRow[] {
  if (!sells(product)) return [];
  const branchIndex = chain.branches.indexOf(branch);
  const rng = new Random(hash(chain.seed, product.index, branchIndex));
  const model = TIER_MODEL[product.tier];
  const rows: DemoSalesRow[] = [];
  for (const info of daysOf(chain)) {
    if (info.date < product.salesFrom) continue;
    const units = rng.poisson(product.baseDaily * branch.factor * dayFactor(product, info));
    if (units === 0) continue;
    const { date, day } = info;
    const discount =
      (product.plants.includes('below_cost') ? 0.22 : model.discount) +
      (day?.kind === 'promotion' ? 0.04 : 0);
    const perUnit = Math.round(product.listFen * (1 - discount));
    rows.push({
      ...ids,
      date,
      units,
      revenueFen: units * perUnit,
      orders: units,
      returningOrders: rng.binomial(units, model.returning),
    });
  }
  return rows;
}
