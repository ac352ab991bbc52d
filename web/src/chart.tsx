import * as echarts from 'echarts';
import { useEffect, useRef } from 'react';

/** One Apache ECharts chart; the option is replaced whenever it changes. */
export function Chart({ option, label, height = 320 }: { option: echarts.EChartsOption; label: string; height?: number }) {
  const element = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!element.current) return undefined;
    const chart = echarts.init(element.current, undefined, { renderer: 'canvas' });
    chart.setOption(option);
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
  }, [option]);
  return <div className="chart" role="img" aria-label={label} ref={element} style={{ height }} />;
}
