import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { qualifyingTier, type TierDefinition, type TierProgram } from '../../src/domain/tiers/tier-program';
import { ApiError, get, patch, post, put } from './api';
import { formatBaht, t, type Language } from './i18n';

type Award = { kind: 'fixed'; points: number } | { kind: 'per_amount'; property: string; unitAmount: number; pointsPerUnit: number; rounding: 'floor' | 'round' | 'ceil' };
interface Rule { id: string; name: string; event: string; award: Award; active: boolean; conditions: unknown[]; caps: Record<string, unknown> }
interface Draft { name: string; event: string; awardKind: 'fixed' | 'per_amount'; points: number; unitAmount: number; minOrderBaht: string; oncePerMember: boolean; maxPointsPerDay: string }

const commonEvents = ['Order Completed', 'Signed Up', 'Product Reviewed', 'UGC Approved', 'Share Converted', 'Referral Converted', 'Birthday', 'Stage Entered'];
const emptyDraft: Draft = { name: '', event: 'Order Completed', awardKind: 'per_amount', points: 1, unitAmount: 25, minOrderBaht: '', oncePerMember: false, maxPointsPerDay: '' };

/** The rule the API takes, from the editor's fields. */
function ruleOf(draft: Draft) {
  return {
    name: draft.name || draft.event, event: draft.event,
    conditions: draft.minOrderBaht.trim() ? [{ property: 'revenue', op: 'gte', value: Number(draft.minOrderBaht) }] : [],
    award: draft.awardKind === 'fixed' ? { kind: 'fixed', points: draft.points } : { kind: 'per_amount', property: 'revenue', unitAmount: draft.unitAmount, pointsPerUnit: draft.points, rounding: 'floor' },
    caps: { ...(draft.oncePerMember ? { oncePerMember: true } : {}), ...(draft.maxPointsPerDay.trim() ? { maxPoints: { points: Number(draft.maxPointsPerDay), period: 'day' } } : {}) },
  };
}

function describeAward(award: Award, language: Language): string {
  return award.kind === 'fixed' ? `${award.points} ${t('points', language)}` : `${award.pointsPerUnit} ${t('points', language)} / ${formatBaht(award.unitAmount * 100, language)}`;
}

/** Earning rules with a live preview of an unsaved rule, and the tier programme with its own preview. */
export function RulesAndTiers({ language }: { language: Language }) {
  return (
    <div className="wide">
      <h1>{t('rulesAndTiers', language)}</h1>
      <EarningRules language={language} />
      <Tiers language={language} />
    </div>
  );
}

function EarningRules({ language }: { language: Language }) {
  const [rules, setRules] = useState<Rule[]>([]);
  const [draft, setDraft] = useState<Draft>(emptyDraft);
  const [sampleBaht, setSampleBaht] = useState('500');
  const [preview, setPreview] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const load = useCallback(async () => setRules((await get<{ rules: Rule[] }>('/api/v1/rules')).rules), []);
  useEffect(() => { void load(); }, [load]);

  // The live preview: the server tries the unsaved rule on a sample order, by the code that awards.
  useEffect(() => {
    const timer = setTimeout(() => {
      void post<{ totalPoints: number; matches: { points: number; pointsAfterCaps: number }[] }>('/api/v1/rules/preview', {
        event: draft.event, properties: { revenue: Number(sampleBaht) || 0 }, draft: ruleOf(draft),
      }).then((answer) => setPreview(`${t('previewOrder', language)} ${formatBaht(Math.round((Number(sampleBaht) || 0) * 100), language)} → ${answer.totalPoints} ${t('points', language)}`))
        .catch((failure: unknown) => setPreview(failure instanceof ApiError ? failure.message : String(failure)));
    }, 250);
    return () => clearTimeout(timer);
  }, [draft, sampleBaht, language]);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    try {
      await post('/api/v1/rules', ruleOf(draft));
      setDraft(emptyDraft);
      setMessage(t('saved', language));
      await load();
    } catch (failure) {
      setMessage((failure as Error).message);
    }
  };
  const toggle = async (rule: Rule) => {
    // Shown at once; the reload shows what the server kept, also when it refused.
    setRules(rules.map((row) => (row.id === rule.id ? { ...row, active: !rule.active } : row)));
    try {
      await patch(`/api/v1/rules/${encodeURIComponent(rule.id)}`, { active: !rule.active });
    } finally {
      await load();
    }
  };
  const field = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft({ ...draft, [key]: value });

  return (
    <section className="stack" aria-label={t('earningRules', language)}>
      <h2>{t('earningRules', language)}</h2>
      <table aria-label={t('earningRules', language)}>
        <thead><tr><th>{t('name', language)}</th><th>{t('trigger', language)}</th><th>{t('award', language)}</th><th /></tr></thead>
        <tbody>{rules.map((rule) => (
          <tr key={rule.id}>
            <td>{rule.name}</td><td>{rule.event}</td><td>{describeAward(rule.award, language)}</td>
            <td><label className="check"><input type="checkbox" checked={rule.active} onChange={() => void toggle(rule)} aria-label={`${t('active', language)}: ${rule.name}`} />{t('active', language)}</label></td>
          </tr>
        ))}</tbody>
      </table>
      <form className="card" onSubmit={(event) => void save(event)} aria-label={t('addRule', language)}>
        <h2>{t('addRule', language)}</h2>
        <label>{t('name', language)}<input name="ruleName" value={draft.name} onChange={(event) => field('name', event.target.value)} /></label>
        <label>{t('trigger', language)}<input name="ruleEvent" list="rule-events" required value={draft.event} onChange={(event) => field('event', event.target.value)} /></label>
        <datalist id="rule-events">{commonEvents.map((name) => <option key={name} value={name} />)}</datalist>
        <label>{t('award', language)}
          <select name="awardKind" value={draft.awardKind} onChange={(event) => field('awardKind', event.target.value as Draft['awardKind'])}>
            <option value="per_amount">{t('pointsPerAmount', language)}</option>
            <option value="fixed">{t('fixedPoints', language)}</option>
          </select>
        </label>
        <label>{t('pointsToGive', language)}<input name="points" type="number" min={1} required value={draft.points} onChange={(event) => field('points', Number(event.target.value))} /></label>
        {draft.awardKind === 'per_amount' && <label>{t('perBaht', language)}<input name="unitAmount" type="number" min={1} step="any" required value={draft.unitAmount} onChange={(event) => field('unitAmount', Number(event.target.value))} /></label>}
        <label>{t('minOrderBaht', language)}<input name="minOrderBaht" type="number" min={0} value={draft.minOrderBaht} onChange={(event) => field('minOrderBaht', event.target.value)} /></label>
        <label className="check"><input type="checkbox" checked={draft.oncePerMember} onChange={(event) => field('oncePerMember', event.target.checked)} />{t('oncePerMember', language)}</label>
        <label>{t('maxPointsPerDay', language)}<input name="maxPointsPerDay" type="number" min={1} value={draft.maxPointsPerDay} onChange={(event) => field('maxPointsPerDay', event.target.value)} /></label>
        <label>{t('sampleOrderBaht', language)}<input name="sampleBaht" type="number" min={0} value={sampleBaht} onChange={(event) => setSampleBaht(event.target.value)} /></label>
        <p className="preview" role="status" aria-live="polite" aria-label={t('livePreview', language)}>{preview}</p>
        <button type="submit">{t('addRule', language)}</button>
        {message && <p>{message}</p>}
      </form>
    </section>
  );
}

const defaultProgram: TierProgram = {
  basis: 'points_earned', windowMonths: 12, graceDays: 30,
  tiers: [{ key: 'member', name: 'Member', threshold: 0, multiplierPercent: 100, benefits: '' }],
};

function Tiers({ language }: { language: Language }) {
  const [program, setProgram] = useState<TierProgram | null>(null);
  const [sample, setSample] = useState('1000');
  const [message, setMessage] = useState<string | null>(null);
  useEffect(() => {
    void get<TierProgram>('/api/v1/tiers').then(setProgram).catch((failure: unknown) => {
      if (failure instanceof ApiError && failure.status === 404) setProgram(defaultProgram);
      else setMessage(String(failure));
    });
  }, []);
  if (!program) return message ? <p>{message}</p> : null;
  const setTier = (at: number, change: Partial<TierDefinition>) => setProgram({ ...program, tiers: program.tiers.map((tier, index) => (index === at ? { ...tier, ...change } : tier)) });
  const addTier = () => {
    const last = program.tiers[program.tiers.length - 1] as TierDefinition;
    setProgram({ ...program, tiers: [...program.tiers, { key: `tier_${program.tiers.length + 1}`, name: '', threshold: last.threshold + 1000, multiplierPercent: last.multiplierPercent + 25, benefits: '' }] });
  };
  const save = async (event: FormEvent) => {
    event.preventDefault();
    try {
      setProgram(await put<TierProgram>('/api/v1/tiers', program));
      setMessage(t('saved', language));
    } catch (failure) {
      setMessage((failure as Error).message);
    }
  };
  // The preview runs the same rule as the server: the highest tier whose threshold the value reaches.
  const reached = qualifyingTier(program, Number(sample) || 0);
  const unit = program.basis === 'spend' ? t('spendSatang', language) : t('pointsEarned', language);
  return (
    <form className="stack" onSubmit={(event) => void save(event)} aria-label={t('tiers', language)}>
      <h2>{t('tiers', language)}</h2>
      <label>{t('tierBasis', language)}
        <select name="basis" value={program.basis} onChange={(event) => setProgram({ ...program, basis: event.target.value as TierProgram['basis'] })}>
          <option value="points_earned">{t('pointsEarned', language)}</option>
          <option value="spend">{t('spendSatang', language)}</option>
        </select>
      </label>
      <label>{t('windowMonths', language)}<input name="windowMonths" type="number" min={1} max={60} value={program.windowMonths} onChange={(event) => setProgram({ ...program, windowMonths: Number(event.target.value) })} /></label>
      <table aria-label={t('tiers', language)}>
        <thead><tr><th>{t('tierKey', language)}</th><th>{t('name', language)}</th><th>{t('threshold', language)}</th><th>{t('multiplier', language)}</th><th /></tr></thead>
        <tbody>{program.tiers.map((tier, index) => (
          <tr key={index}>
            <td><input aria-label={`${t('tierKey', language)} ${index + 1}`} value={tier.key} onChange={(event) => setTier(index, { key: event.target.value })} /></td>
            <td><input aria-label={`${t('name', language)} ${index + 1}`} value={tier.name} required onChange={(event) => setTier(index, { name: event.target.value })} /></td>
            <td><input aria-label={`${t('threshold', language)} ${index + 1}`} type="number" min={0} value={tier.threshold} onChange={(event) => setTier(index, { threshold: Number(event.target.value) })} /></td>
            <td><input aria-label={`${t('multiplier', language)} ${index + 1}`} type="number" min={0} max={1000} value={tier.multiplierPercent} onChange={(event) => setTier(index, { multiplierPercent: Number(event.target.value) })} /></td>
            {/* The first tier is where everyone starts: it stays. */}
            <td>{index > 0 && <button type="button" aria-label={`${t('removeTier', language)} ${index + 1}`} onClick={() => setProgram({ ...program, tiers: program.tiers.filter((_, at) => at !== index) })}>{t('removeTier', language)}</button>}</td>
          </tr>
        ))}</tbody>
      </table>
      <button type="button" onClick={addTier}>{t('addTier', language)}</button>
      <label>{t('tierSample', language)} ({unit})<input name="tierSample" type="number" min={0} value={sample} onChange={(event) => setSample(event.target.value)} /></label>
      <p className="preview" role="status" aria-label={t('tierPreview', language)}>{`${reached.name || reached.key} · ×${reached.multiplierPercent / 100}`}</p>
      <button type="submit">{t('saveTiers', language)}</button>
      {message && <p>{message}</p>}
    </form>
  );
}
