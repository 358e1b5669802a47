/** What each kind of import holds: its fields, how each is read, and the headers that name it. */

export const IMPORT_KINDS = ['sales', 'complaints', 'competitor-prices', 'targets'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

export const IMPORT_STATUSES = ['preview', 'committing', 'done', 'failed'] as const;
export type ImportStatus = (typeof IMPORT_STATUSES)[number];

export type FieldType =
  | 'day'
  | 'instant'
  | 'month'
  | 'count'
  | 'yuan'
  | 'positive-yuan'
  | 'product'
  | 'branch'
  | 'text'
  | 'category'
  | 'severity';

export interface ImportField {
  /** The name in a mapping (`{ revenue: "实收金额" }`). */
  readonly name: string;
  readonly type: FieldType;
  readonly required: boolean;
  readonly maxLength?: number;
  /** Headers that name this field, Chinese and English, compared after {@link normaliseHeader}. */
  readonly headers: readonly string[];
}

const f = (
  name: string,
  type: FieldType,
  required: boolean,
  headers: readonly string[],
  maxLength?: number,
): ImportField => ({ name, type, required, headers, ...(maxLength ? { maxLength } : {}) });

const PRODUCT = [
  '项目',
  '产品',
  '项目名称',
  '产品名称',
  '项目编码',
  '产品编码',
  'product',
  'productid',
  'item',
  'project',
  'productname',
];
const BRANCH = [
  '院区',
  '门店',
  '分院',
  '诊所',
  '院区编码',
  '门店编码',
  '院区名称',
  '门店名称',
  'branch',
  'branchid',
  'branchcode',
  'clinic',
  'store',
  'shop',
];

/** The fields of each kind, in the order a preview shows them. */
export const IMPORT_FIELDS: Readonly<Record<ImportKind, readonly ImportField[]>> = {
  sales: [
    f('date', 'day', true, [
      '日期',
      '销售日期',
      '营业日期',
      '业务日期',
      '交易日期',
      'date',
      'day',
      'salesdate',
    ]),
    f('branch', 'branch', true, BRANCH),
    f('product', 'product', true, PRODUCT),
    f('units', 'count', true, [
      '数量',
      '销量',
      '件数',
      '次数',
      '销售数量',
      'units',
      'qty',
      'quantity',
      'count',
    ]),
    f('revenue', 'yuan', true, [
      '实收',
      '金额',
      '实收金额',
      '销售额',
      '营业额',
      '收入',
      '销售金额',
      'revenue',
      'amount',
      'sales',
      'revenueyuan',
    ]),
    f('orders', 'count', true, ['订单数', '订单', '订单量', '单数', 'orders', 'ordercount']),
    f('returningOrders', 'count', false, [
      '老客订单',
      '老客订单数',
      '复购订单',
      '复购订单数',
      '老客单数',
      'returningorders',
      'repeatorders',
    ]),
    f('channel', 'text', false, ['渠道', '销售渠道', '来源', '来源渠道', 'channel', 'source'], 50),
  ],
  complaints: [
    f(
      'externalId',
      'text',
      false,
      ['投诉编号', '编号', '工单号', '单号', 'externalid', 'id', 'ticket', 'ticketid'],
      200,
    ),
    f('product', 'product', true, PRODUCT),
    f('branch', 'branch', true, BRANCH),
    f('occurredAt', 'instant', true, [
      '投诉时间',
      '发生时间',
      '时间',
      '日期',
      '投诉日期',
      'occurredat',
      'date',
      'time',
    ]),
    f('category', 'category', true, ['类别', '投诉类别', '分类', '类型', 'category', 'type']),
    f('severity', 'severity', true, ['严重程度', '级别', '等级', 'severity', 'level']),
    f('text', 'text', true, ['内容', '投诉内容', '描述', '详情', 'text', 'description', 'content'], 10_000),
    f(
      'customerPhone',
      'text',
      false,
      ['电话', '手机', '手机号', '联系电话', '客户电话', 'phone', 'mobile', 'customerphone'],
      30,
    ),
  ],
  'competitor-prices': [
    f('product', 'product', true, PRODUCT),
    f('competitor', 'text', true, ['竞品', '竞争对手', '竞品机构', '对手', '机构', 'competitor'], 200),
    f('price', 'positive-yuan', true, ['价格', '售价', '竞品价格', '报价', 'price', 'amount']),
    f('observedAt', 'day', true, [
      '日期',
      '观察日期',
      '采集日期',
      '记录日期',
      'date',
      'observedat',
      'observedon',
    ]),
    f('platform', 'text', false, ['平台', '渠道', '来源', 'platform', 'channel', 'source'], 100),
  ],
  targets: [
    f('product', 'product', true, PRODUCT),
    f('branch', 'branch', true, BRANCH),
    f('month', 'month', true, ['月份', '月', '目标月份', '年月', 'month']),
    f('units', 'count', false, ['目标数量', '目标销量', '数量', '销量', 'units', 'targetunits']),
    f('revenue', 'yuan', false, [
      '目标金额',
      '目标业绩',
      '目标销售额',
      '金额',
      '业绩',
      'revenue',
      'targetrevenue',
    ]),
  ],
};

/** Headers compared without case, spaces, `_`/`-`, and a unit in brackets (`实收金额（元）` → `实收金额`). */
export function normaliseHeader(header: string): string {
  return header
    .normalize('NFKC')
    .replace(/[(（[【].*?[)）\]】]/g, '')
    .replace(/[\s_\-.:：/]/g, '')
    .toLowerCase();
}

/** Labels people write in exports for complaint categories and severities (DOMAIN.md words). */
export const CATEGORY_WORDS: Readonly<Record<string, string>> = {
  效果不达预期: 'effect_below_expectation',
  效果不满意: 'effect_below_expectation',
  效果: 'effect_below_expectation',
  不良反应: 'adverse_reaction',
  医疗纠纷: 'medical_dispute',
  纠纷: 'medical_dispute',
  服务: 'service',
  服务态度: 'service',
  价格: 'price',
  环境: 'environment',
};

export const SEVERITY_WORDS: Readonly<Record<string, string>> = {
  低: 'low',
  中: 'medium',
  高: 'high',
  危急: 'critical',
  严重: 'critical',
};
