/**
 * ECharts for the supervision console, imported dynamically by the statistics panel so that only
 * that page loads it (its own bundle chunk). Only the pieces used are registered.
 */
import { init, use } from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

/** Hourly arrivals (bars) and tickets served (line); returns a dispose function. */
export function hourlyChart(el: HTMLElement, s: { hours: string[]; arrivals: number[]; served: number[] }): () => void {
  const chart = init(el);
  chart.setOption({
    tooltip: { trigger: 'axis' },
    legend: { top: 0, data: ['取号 Arrivals', '办结 Served'] },
    grid: { left: 40, right: 16, top: 36, bottom: 28 },
    xAxis: { type: 'category', data: s.hours },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      { name: '取号 Arrivals', type: 'bar', data: s.arrivals, itemStyle: { color: '#5b8ff9' } },
      { name: '办结 Served', type: 'line', data: s.served, smooth: true, itemStyle: { color: '#e8684a' } },
    ],
  });
  const resize = (): void => chart.resize();
  window.addEventListener('resize', resize);
  return () => {
    window.removeEventListener('resize', resize);
    chart.dispose();
  };
}
