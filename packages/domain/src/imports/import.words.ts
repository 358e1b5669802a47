import type { Word } from '../words.js';
import type { ImportKind } from './import.fields.js';

/** Each kind of import in words, as a screen or a problem names it. */
export const IMPORT_KIND_WORDS = {
  sales: { zh: '日销售', en: 'sales' },
  complaints: { zh: '投诉', en: 'complaints' },
  'competitor-prices': { zh: '竞品价格', en: 'competitor prices' },
  targets: { zh: '月度目标', en: 'targets' },
} as const satisfies Record<ImportKind, Word>;

/** Each field of an import in words (the mapping's ids, `revenue` → 实收（元）). */
export const IMPORT_FIELD_WORDS = {
  date: { zh: '日期', en: 'Date' },
  branch: { zh: '院区', en: 'Branch' },
  product: { zh: '项目', en: 'Product' },
  units: { zh: '数量', en: 'Units' },
  revenue: { zh: '实收（元）', en: 'Revenue (yuan)' },
  orders: { zh: '订单数', en: 'Orders' },
  returningOrders: { zh: '老客订单', en: 'Returning orders' },
  channel: { zh: '渠道', en: 'Channel' },
  externalId: { zh: '编号', en: 'Id' },
  occurredAt: { zh: '发生时间', en: 'Occurred at' },
  category: { zh: '类别', en: 'Category' },
  severity: { zh: '严重程度', en: 'Severity' },
  text: { zh: '内容', en: 'Text' },
  customerPhone: { zh: '客户电话', en: 'Customer phone' },
  competitor: { zh: '竞品', en: 'Competitor' },
  price: { zh: '价格（元）', en: 'Price (yuan)' },
  observedAt: { zh: '日期', en: 'Date' },
  platform: { zh: '平台', en: 'Platform' },
  month: { zh: '月份', en: 'Month' },
} as const satisfies Record<string, Word>;
