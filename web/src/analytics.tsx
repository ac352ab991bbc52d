import type { EChartsOption } from 'echarts';
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { get, post } from './api';
import { Chart } from './chart';
import { t, type Language } from './i18n';

interface FunnelStep { event: string; count: number; conversionFromFirst: number | null; conversionFromPrevious: number | null; medianMsFromPrevious: number | null }
interface Funnel {
  steps: FunnelStep[];
  timeToConvert: { count: number; medianMs: number | null; p90Ms: number | null; histogram: { fromMs: number; toMs: number | null; count: number }[] };
}
interface Retention { period: string; cohorts: { period: string; people: number; returned: number[]; shares: (number | null)[] }[] }

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const percent = (share: number | null) => (share === null ? '–' : `${(share * 100).toFixed(1)}%`);

/** "3 h", "2 d": a duration people read at a glance. */
function shortDuration(ms: number | null): string {
  if (ms === null) return '–';
  const minutes = ms / 60_000;
  if (minutes < 60) return `${Math.round(minutes)} min`;
  if (minutes < 48 * 60) return `${(minutes / 60).toFixed(1)} h`;
  return `${(minutes / 1440).toFixed(1)} d`;
}

/** The event funnel builder with its time-to-convert histogram, and the retention table. */
export function Analytics({ language }: { language: Language }) {
  const [from, setFrom] = useState(isoDay(Date.now() - 89 * 86_400_000));
  const [to, setTo] = useState(isoDay(Date.now()));
  const [steps, setSteps] = useState(['$page', 'Signed Up', 'Order Completed']);
  const [windowDays, setWindowDays] = useState('14');
  const [funnel, setFunnel] = useState<Funnel | null>(null);
  const [retention, setRetention] = useState<Retention | null>(null);
  const [error, setError] = useState<string | null>(null);

  const run = async (event?: FormEvent) => {
    event?.preventDefault();
    setError(null);
    try {
      setFunnel(await post<Funnel>('/api/v1/analytics/funnels', {
        from, to, steps: steps.filter((step) => step.trim()).map((step) => ({ event: step.trim() })), windowSeconds: Math.round(Number(windowDays) * 86_400),
      }));
      setRetention(await get<Retention>(`/api/v1/analytics/retention?from=${from}&to=${to}&period=week&periods=8`));
    } catch (failure) {
      setError((failure as Error).message);
    }
  };
  // The first run, with the defaults; later runs are the merchant's.
  useEffect(() => { void run(); }, []);

  const funnelChart = useMemo<EChartsOption | null>(() => funnel && {
    tooltip: {}, grid: { left: 140, right: 24, top: 10, bottom: 30 },
    xAxis: { type: 'value' }, yAxis: { type: 'category', inverse: true, data: funnel.steps.map((step) => step.event) },
    series: [{ type: 'bar', data: funnel.steps.map((step) => step.count), label: { show: true, position: 'right', formatter: (item) => percent(funnel.steps[item.dataIndex]?.conversionFromFirst ?? null) }, itemStyle: { color: '#2f5d50' } }],
  }, [funnel]);
  const histogramChart = useMemo<EChartsOption | null>(() => funnel && {
    tooltip: {}, grid: { left: 50, right: 20, top: 10, bottom: 40 },
    xAxis: { type: 'category', data: funnel.timeToConvert.histogram.map((bucket) => `${shortDuration(bucket.fromMs)}–${bucket.toMs === null ? '' : shortDuration(bucket.toMs)}`) },
    yAxis: { type: 'value', minInterval: 1 },
    series: [{ type: 'bar', data: funnel.timeToConvert.histogram.map((bucket) => bucket.count), itemStyle: { color: '#4f8a76' } }],
  }, [funnel]);

  return (
    <div className="wide">
      <h1>{t('analytics', language)}</h1>
      <form className="card wide-card" onSubmit={(event) => void run(event)} aria-label={t('funnelBuilder', language)}>
        <h2>{t('funnelBuilder', language)}</h2>
        <div className="row">
          <label>{t('fromDate', language)}<input name="from" type="date" required value={from} onChange={(event) => setFrom(event.target.value)} /></label>
          <label>{t('toDate', language)}<input name="to" type="date" required value={to} onChange={(event) => setTo(event.target.value)} /></label>
          <label>{t('windowDays', language)}<input name="windowDays" type="number" min={1} max={90} required value={windowDays} onChange={(event) => setWindowDays(event.target.value)} /></label>
        </div>
        {steps.map((step, index) => (
          <label key={index}>{`${t('step', language)} ${index + 1}`}
            <input value={step} list="funnel-events" onChange={(event) => setSteps(steps.map((old, at) => (at === index ? event.target.value : old)))} />
          </label>
        ))}
        <datalist id="funnel-events">{['$page', 'Signed Up', 'Product Viewed', 'Product Added', 'Order Completed', 'Share Link Clicked', 'Referral Converted'].map((name) => <option key={name} value={name} />)}</datalist>
        <div className="row">
          <button type="button" onClick={() => setSteps([...steps, ''])} disabled={steps.length >= 20}>{t('addStep', language)}</button>
          <button type="button" onClick={() => setSteps(steps.slice(0, -1))} disabled={steps.length <= 2}>{t('removeStep', language)}</button>
          <button type="submit">{t('runFunnel', language)}</button>
        </div>
        {error && <p role="alert" className="error">{error}</p>}
      </form>
      {funnel && (
        <div className="charts">
          <section>
            <h2>{t('funnel', language)}</h2>
            {funnelChart && <Chart option={funnelChart} label={t('funnel', language)} height={60 + funnel.steps.length * 50} />}
            <table aria-label={t('funnelSteps', language)}>
              <thead><tr><th>{t('step', language)}</th><th>{t('people', language)}</th><th>{t('fromPrevious', language)}</th><th>{t('medianTime', language)}</th></tr></thead>
              <tbody>{funnel.steps.map((step, index) => (
                <tr key={index}><td>{step.event}</td><td>{step.count}</td><td>{percent(step.conversionFromPrevious)}</td><td>{shortDuration(step.medianMsFromPrevious)}</td></tr>
              ))}</tbody>
            </table>
          </section>
          <section>
            <h2>{t('timeToConvert', language)}</h2>
            <p>{t('medianTime', language)} {shortDuration(funnel.timeToConvert.medianMs)} · p90 {shortDuration(funnel.timeToConvert.p90Ms)} · {funnel.timeToConvert.count} {t('people', language)}</p>
            {histogramChart && <Chart option={histogramChart} label={t('timeToConvert', language)} height={260} />}
          </section>
        </div>
      )}
      {retention && (
        <section className="stack">
          <h2>{t('retention', language)}</h2>
          <p>{t('retentionHelp', language)}</p>
          <div className="scroll">
            <table aria-label={t('retention', language)} className="retention">
              <thead><tr><th>{t('cohort', language)}</th><th>{t('people', language)}</th>{(retention.cohorts[0]?.shares ?? []).map((_, index) => <th key={index}>{`${t('weekShort', language)} ${index + 1}`}</th>)}</tr></thead>
              <tbody>{retention.cohorts.map((cohort) => (
                <tr key={cohort.period}>
                  <td>{cohort.period}</td><td>{cohort.people}</td>
                  {cohort.shares.map((share, index) => <td key={index} style={{ background: share === null ? undefined : `rgba(47, 93, 80, ${Math.min(0.85, share)})`, color: share !== null && share > 0.45 ? '#fff' : undefined }}>{percent(share)}</td>)}
                </tr>
              ))}</tbody>
            </table>
          </div>
        </section>
      )}
    </div>
  );
}
