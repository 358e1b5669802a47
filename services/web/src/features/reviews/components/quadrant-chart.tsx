import { ScatterChart } from 'echarts/charts';
import { GridComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { ReviewRow } from '../api/reviews';

echarts.use([ScatterChart, GridComponent, MarkLineComponent, TooltipComponent, CanvasRenderer]);

const COLORS = { star: '#237804', cash_cow: '#0050b3', question_mark: '#ad6800', dog: '#a8071a' } as const;

/** Growth × share, one point per product, coloured by quadrant. */
export function QuadrantChart({ rows }: { rows: ReviewRow[] }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!ref.current) return;
    const chart = echarts.init(ref.current);
    chart.setOption({
      animation: false,
      tooltip: {
        formatter: (p: { data: [number, number, string] }) => `${p.data[2]}: ${p.data[0]} % / ${p.data[1]} %`,
      },
      grid: { left: 50, right: 20, top: 20, bottom: 40 },
      xAxis: { type: 'value', name: t('reviews.share'), axisLabel: { formatter: '{value} %' } },
      yAxis: { type: 'value', name: t('reviews.growth'), axisLabel: { formatter: '{value} %' } },
      series: (Object.keys(COLORS) as (keyof typeof COLORS)[]).map((quadrant) => ({
        type: 'scatter',
        name: t(`reviews.quadrants.${quadrant}`),
        symbolSize: 14,
        itemStyle: { color: COLORS[quadrant] },
        data: rows
          .filter((r) => r.quadrant === quadrant)
          .map((r) => [r.sharePercent, r.growthPercent ?? 0, r.name]),
        label: {
          show: true,
          position: 'right',
          formatter: (p: { data: [number, number, string] }) => p.data[2],
        },
      })),
    });
    return () => chart.dispose();
  }, [rows, t]);
  return (
    <div ref={ref} role="img" aria-label={t('reviews.quadrant')} style={{ width: '100%', height: 320 }} />
  );
}
