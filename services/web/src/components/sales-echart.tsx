import { BarChart, LineChart, ScatterChart } from 'echarts/charts';
import {
  GridComponent,
  LegendComponent,
  MarkAreaComponent,
  MarkLineComponent,
  TooltipComponent,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { daysInMonth } from '@tower/domain';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { useProductSales } from '../lib/sales';

echarts.use([
  BarChart,
  LineChart,
  ScatterChart,
  GridComponent,
  LegendComponent,
  MarkAreaComponent,
  MarkLineComponent,
  TooltipComponent,
  CanvasRenderer,
]);

type Series = NonNullable<ReturnType<typeof useProductSales>['data']>;

export function SalesEChart({ series }: { series: Series }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!ref.current) return;
    const chart = echarts.init(ref.current);
    const dates = series.days.map((d) => d.date);
    const shaded = series.calendar
      .filter((c) => c.kind !== 'workday')
      .map((c) => [
        {
          xAxis: c.date,
          name: c.name,
          itemStyle: { color: c.kind === 'holiday' ? 'rgba(250,173,20,0.15)' : 'rgba(22,119,255,0.12)' },
        },
        { xAxis: c.date },
      ]);
    const dailyTarget = (date: string): number | null => {
      const month = date.slice(0, 7);
      const target = series.targets.find((x) => x.month === month);
      return target?.units ? Math.round((target.units / daysInMonth(month)) * 10) / 10 : null;
    };
    chart.setOption({
      animation: false,
      tooltip: { trigger: 'axis' },
      legend: { bottom: 0, data: [t('chart.units'), t('chart.baseline'), t('chart.dip'), t('chart.target')] },
      grid: { left: 40, right: 16, top: 24, bottom: 64 },
      xAxis: { type: 'category', data: dates },
      yAxis: { type: 'value', minInterval: 1 },
      series: [
        {
          name: t('chart.units'),
          type: 'bar',
          data: series.days.map((d) => d.units),
          itemStyle: { color: '#5b8ff9' },
          markArea: { silent: true, data: shaded },
        },
        {
          name: t('chart.baseline'),
          type: 'line',
          data: series.days.map((d) => d.baselineUnits),
          showSymbol: false,
          lineStyle: { type: 'dashed', color: '#0b6e69' },
          itemStyle: { color: '#0b6e69' },
        },
        {
          name: t('chart.dip'),
          type: 'scatter',
          data: series.days.map((d) => (d.dip ? d.units : null)),
          symbolSize: 10,
          itemStyle: { color: '#cf1322' },
        },
        {
          name: t('chart.target'),
          type: 'line',
          step: 'middle',
          data: series.days.map((d) => dailyTarget(d.date)),
          showSymbol: false,
          lineStyle: { color: '#fa8c16' },
          itemStyle: { color: '#fa8c16' },
        },
      ],
    });
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
  }, [series, t]);
  return (
    <div ref={ref} role="img" aria-label={t('product.salesChart')} style={{ width: '100%', height: 320 }} />
  );
}
