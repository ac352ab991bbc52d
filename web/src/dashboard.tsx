import { useEffect, useMemo, useState } from 'react';
import type { EChartsOption } from 'echarts';
import { get } from './api';
import { Chart } from './chart';
import { t, type Language } from './i18n';

interface Overview { members: number; activeMembers30d: number; points: { issued: number; redeemed: number; expired: number; outstanding: number } }
interface Journey {
  entered: number;
  stages: { key: string; name: string; reached: number; conversionFromPrevious: number | null; atRisk: number }[];
  breakdown: { value: string; entered: number }[] | null;
  trend: { period: string; entered: number; conversionFromFirst: (number | null)[] }[] | null;
}
interface Flows { nodes: { key: string; name: string; people: number }[]; links: { from: string; to: string; people: number }[] }

/** Today and 89 days before, as dates in the merchant's time zone. */
function lastNinetyDays(timeZone: string): { from: string; to: string } {
  const to = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
  const from = new Date(Date.parse(`${to}T00:00:00Z`) - 89 * 86_400_000).toISOString().slice(0, 10);
  return { from, to };
}

export function Dashboard({ language }: { language: Language }) {
  const [overview, setOverview] = useState<Overview | null>(null);
  const [journey, setJourney] = useState<Journey | null>(null);
  const [flows, setFlows] = useState<Flows | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void (async () => {
      try {
        const merchant = await get<{ timeZone: string }>('/api/v1/merchant');
        const { from, to } = lastNinetyDays(merchant.timeZone);
        const [o, j, f] = await Promise.all([
          get<Overview>('/api/v1/overview'),
          get<Journey>(`/api/v1/analytics/journey?from=${from}&to=${to}&trend=week&breakdown=channel`),
          get<Flows>(`/api/v1/analytics/flows?from=${from}&to=${to}`),
        ]);
        setOverview(o);
        setJourney(j);
        setFlows(f);
      } catch (failure) {
        setError((failure as Error).message);
      }
    })();
  }, []);

  const funnel = useMemo<EChartsOption | null>(() => journey && {
    tooltip: { trigger: 'item' },
    series: [{ type: 'funnel', sort: 'none', left: '4%', width: '62%', label: { formatter: '{b}: {c}' }, data: journey.stages.map((stage) => ({ name: stage.name, value: stage.reached })) }],
  }, [journey]);
  const sankey = useMemo<EChartsOption | null>(() => flows && flows.links.length > 0 ? {
    tooltip: { trigger: 'item' },
    series: [{
      type: 'sankey', emphasis: { focus: 'adjacency' },
      data: flows.nodes.filter((node) => node.people > 0).map((node) => ({ name: node.name })),
      links: flows.links.map((link) => ({
        source: flows.nodes.find((node) => node.key === link.from)?.name ?? link.from,
        target: flows.nodes.find((node) => node.key === link.to)?.name ?? link.to, value: link.people,
      })),
    }],
  } : null, [flows]);
  const trend = useMemo<EChartsOption | null>(() => journey?.trend && journey.stages.length > 2 ? {
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'category', data: journey.trend.map((row) => row.period) },
    yAxis: { type: 'value', axisLabel: { formatter: (value: number) => `${Math.round(value * 100)}%` } },
    series: [{ type: 'line', name: journey.stages[2]?.name, data: journey.trend.map((row) => row.conversionFromFirst[2] ?? 0) }],
  } : null, [journey]);
  const channels = useMemo<EChartsOption | null>(() => !journey?.breakdown ? null : {
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'value' },
    yAxis: { type: 'category', data: journey.breakdown.slice(0, 10).map((row) => row.value).reverse() },
    series: [{ type: 'bar', data: journey.breakdown.slice(0, 10).map((row) => row.entered).reverse() }],
  }, [journey]);

  if (error) return <p role="alert" className="error">{error}</p>;
  if (!overview || !journey) return null;
  const number = (value: number) => new Intl.NumberFormat(language === 'th' ? 'th-TH' : 'en-US').format(value);
  const cards: [string, number][] = [
    [t('members', language), overview.members], [t('active30d', language), overview.activeMembers30d],
    [t('pointsIssued', language), overview.points.issued], [t('pointsRedeemed', language), overview.points.redeemed],
    [t('pointsOutstanding', language), overview.points.outstanding],
  ];
  return (
    <div className="dashboard">
      <h1>{t('overview', language)}</h1>
      <div className="cards">
        {cards.map(([name, value]) => <div key={name} className="stat" data-testid={`stat-${cards.findIndex(([other]) => other === name)}`}><span>{name}</span><strong>{number(value)}</strong></div>)}
      </div>
      <div className="charts">
        <section><h2>{t('journeyFunnel', language)}</h2>{funnel && <Chart option={funnel} label={t('journeyFunnel', language)} />}</section>
        <section><h2>{t('stageFlows', language)}</h2>{sankey ? <Chart option={sankey} label={t('stageFlows', language)} /> : <p>—</p>}</section>
        <section><h2>{t('conversionTrend', language)}</h2>{trend && <Chart option={trend} label={t('conversionTrend', language)} />}</section>
        <section><h2>{t('topChannels', language)}</h2>{channels && <Chart option={channels} label={t('topChannels', language)} />}</section>
      </div>
    </div>
  );
}
