import { wordFor } from '../words.js';
import type { DepartmentReview } from './review.metrics.js';

/** Fen as yuan with two decimals, no grouping (a CSV cell Excel reads as a number). */
function yuan(fen: number | null): string {
  return fen === null ? '' : (fen / 100).toFixed(2);
}

function num(value: number | null): string {
  return value === null ? '' : String(value);
}

function cell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

const HEADER = [
  '季度',
  '科室',
  '产品',
  '梯度',
  '阶段',
  '本季上线',
  '本季退市',
  '收入(元)',
  '成本(元)',
  '毛利率(%)',
  '梯度最低毛利率(%)',
  '销量',
  '订单数',
  '环比增长(%)',
  '同比增长(%)',
  '科室收入占比(%)',
  '投诉数',
  '每百单投诉',
  '复购率(%)',
  '平均折扣(%)',
  '象限',
  'ABC',
  '建议',
  '决定',
];

/**
 * The review as CSV: UTF-8 with a byte-order mark (so Excel opens the Chinese names), Chinese headers
 * and labels, one row per product. `decisions` maps product id → decision id.
 */
export function reviewReportCsv(
  quarter: string,
  departments: readonly DepartmentReview[],
  decisions: ReadonlyMap<string, string>,
): string {
  const lines = [HEADER.join(',')];
  for (const dept of departments) {
    for (const row of dept.rows) {
      const suggested = dept.suggestions
        .filter((s) => s.productId === row.productId)
        .map((s) => s.reason)
        .join('；');
      const decision = decisions.get(row.productId);
      lines.push(
        [
          quarter,
          dept.departmentName,
          row.name,
          wordFor('tiers', row.tier),
          wordFor('stages', row.stage),
          row.launchedInQuarter ? '是' : '',
          row.retiredInQuarter ? '是' : '',
          yuan(row.revenueFen),
          yuan(row.costFen),
          num(row.grossMarginPercent),
          num(row.minGrossMarginPercent),
          String(row.units),
          String(row.orders),
          num(row.growthPercent),
          num(row.growthYearOnYearPercent),
          num(row.sharePercent),
          String(row.complaints),
          num(row.complaintsPer100Orders),
          num(row.repurchaseRatePercent),
          num(row.averageDiscountPercent),
          wordFor('quadrants', row.quadrant),
          row.abc,
          suggested,
          decision ? wordFor('decisions', decision) : '',
        ]
          .map(cell)
          .join(','),
      );
    }
  }
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}
