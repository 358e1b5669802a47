import type { Tier, Role } from './vocabulary.js';
import { TIERS } from './vocabulary.js';
import { fieldProblem, type FieldProblem } from './field-problems.js';

/** The roles a launch checklist item may belong to (DOMAIN.md "Cross-department launch checklist"). */
export const LAUNCH_OWNER_ROLES = [
  'product_manager',
  'marketing_manager',
  'department_manager',
  'compliance_officer',
] as const satisfies readonly Role[];
export type LaunchOwnerRole = (typeof LAUNCH_OWNER_ROLES)[number];

/** One item of a launch checklist template; `daysBefore` counts back from the target launch date. */
export interface LaunchTemplateItem {
  readonly ownerRole: LaunchOwnerRole;
  /** The English title; with `ownerRole`, it names the item within its template. */
  readonly title: string;
  readonly titleZh?: string;
  readonly description?: string;
  readonly daysBefore: number;
  readonly required: boolean;
}

/** Bounds a template must stay within; the API schema and {@link launchTemplateProblems} share them. */
export const LAUNCH_TEMPLATE_LIMITS = {
  maxItems: 100,
  maxDaysBefore: 365,
  maxTitleLength: 200,
  maxDescriptionLength: 2000,
} as const;

/** The cross-department launch checklist of DOMAIN.md: 13 items, every one required. */
export const DEFAULT_LAUNCH_TEMPLATE: readonly LaunchTemplateItem[] = [
  {
    ownerRole: 'product_manager',
    title: 'Sheet published to staff',
    titleZh: '产品信息表已发布给员工',
    daysBefore: 7,
    required: true,
  },
  {
    ownerRole: 'product_manager',
    title: 'Prices loaded in the cashier system',
    titleZh: '价格已录入收银系统',
    daysBefore: 3,
    required: true,
  },
  {
    ownerRole: 'product_manager',
    title: 'Sales scripts handed to consultants',
    titleZh: '销售话术已交给咨询师',
    daysBefore: 7,
    required: true,
  },
  {
    ownerRole: 'marketing_manager',
    title: 'Channel listings ready (Meituan/Dianping, SoYoung)',
    titleZh: '渠道上架就绪（美团/大众点评、新氧）',
    daysBefore: 3,
    required: true,
  },
  {
    ownerRole: 'marketing_manager',
    title: 'Launch campaign planned',
    titleZh: '上线活动已策划',
    daysBefore: 14,
    required: true,
  },
  {
    ownerRole: 'marketing_manager',
    title: 'Materials and posters made',
    titleZh: '物料和海报已制作',
    daysBefore: 7,
    required: true,
  },
  {
    ownerRole: 'department_manager',
    title: 'Consumables stocked',
    titleZh: '耗材已备货',
    daysBefore: 3,
    required: true,
  },
  {
    ownerRole: 'department_manager',
    title: 'Equipment checked',
    titleZh: '设备已检查',
    daysBefore: 1,
    required: true,
  },
  {
    ownerRole: 'department_manager',
    title: 'Treatment SOP written',
    titleZh: '治疗SOP已编写',
    daysBefore: 14,
    required: true,
  },
  {
    ownerRole: 'department_manager',
    title: 'Doctors trained',
    titleZh: '医生已培训',
    daysBefore: 7,
    required: true,
  },
  {
    ownerRole: 'compliance_officer',
    title: 'Ad copy reviewed',
    titleZh: '广告文案已审核',
    daysBefore: 7,
    required: true,
  },
  {
    ownerRole: 'compliance_officer',
    title: 'Indications and contraindications shown on the consent form',
    titleZh: '知情同意书已列明适应症和禁忌症',
    daysBefore: 7,
    required: true,
  },
  {
    ownerRole: 'compliance_officer',
    title: 'Vendor qualifications on file',
    titleZh: '供应商资质已存档',
    daysBefore: 14,
    required: true,
  },
];

/** What a package card (`package` tier, prepaid) needs on top of the default items. */
export const PACKAGE_CARD_LAUNCH_ITEMS: readonly LaunchTemplateItem[] = [
  {
    ownerRole: 'compliance_officer',
    title: 'Card terms and expiry approved',
    titleZh: '卡项条款和有效期已审批',
    description: 'Sessions, validity, refund and transfer terms of the prepaid card, as sold at the cashier.',
    daysBefore: 7,
    required: true,
  },
  {
    ownerRole: 'product_manager',
    title: 'Cashier card setup',
    titleZh: '收银系统卡项已配置',
    description: 'The card, its sessions and its expiry set up in the cashier system.',
    daysBefore: 3,
    required: true,
  },
];

/** The template each tier starts with (version 1) until an admin changes it. */
export const DEFAULT_LAUNCH_TEMPLATES: Readonly<Record<Tier, readonly LaunchTemplateItem[]>> =
  Object.fromEntries(
    TIERS.map((tier) => [
      tier,
      tier === 'package'
        ? [...DEFAULT_LAUNCH_TEMPLATE, ...PACKAGE_CARD_LAUNCH_ITEMS]
        : DEFAULT_LAUNCH_TEMPLATE,
    ]),
  ) as Record<Tier, readonly LaunchTemplateItem[]>;

/** The version a tier's built-in template has; an admin's first change makes version 2. */
export const DEFAULT_LAUNCH_TEMPLATE_VERSION = 1;

/** How an item is told apart within a template: its owner role and its title, case and spacing aside. */
export function launchTemplateItemKey(item: { ownerRole: string; title: string }): string {
  return `${item.ownerRole}\u0000${item.title.trim().replace(/\s+/g, ' ').toLowerCase()}`;
}

/**
 * Every problem of a template the schema cannot see, each with its JSON pointer: no items, a blank
 * title, and an item listed twice (same owner role and title).
 */
export function launchTemplateProblems(items: readonly LaunchTemplateItem[]): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (items.length === 0) problems.push(fieldProblem('/items', 'TEMPLATE_EMPTY'));
  const seen = new Map<string, number>();
  items.forEach((item, i) => {
    if (item.title.trim() === '') problems.push(fieldProblem(`/items/${i}/title`, 'BLANK'));
    const key = launchTemplateItemKey(item);
    const first = seen.get(key);
    if (first === undefined) seen.set(key, i);
    else {
      problems.push(fieldProblem(`/items/${i}/title`, 'TEMPLATE_ITEM_REPEATED', { item: first }));
    }
  });
  return problems;
}
