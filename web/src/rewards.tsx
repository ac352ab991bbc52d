import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { get, patch, post } from './api';
import { formatBaht, t, tv, type Language } from './i18n';

interface Reward { id: string; nameTh: string; nameEn: string; kind: string; value: number | null; costPoints: number; stockRemaining: number | null; active: boolean; issueOnSignup: boolean }
interface Coupon { code: string; rewardId: string; memberId: string; status: string; expiresAt: string; discountSatang: number | null }
const kinds = ['amount_off', 'percent_off', 'free_item', 'gift'] as const;
const emptyReward = { nameTh: '', nameEn: '', kind: 'free_item' as (typeof kinds)[number], valueBaht: '', percent: '', costPoints: '100', stock: '', issueOnSignup: false };

/** The rewards catalogue (add, switch on and off) and a coupon desk: look a code up, use or cancel it. */
export function Rewards({ language }: { language: Language }) {
  const [rewards, setRewards] = useState<Reward[]>([]);
  const [draft, setDraft] = useState(emptyReward);
  const [message, setMessage] = useState<string | null>(null);
  const [code, setCode] = useState('');
  const [coupon, setCoupon] = useState<Coupon | null>(null);
  const [cancelReason, setCancelReason] = useState('');
  const load = useCallback(async () => setRewards((await get<{ rewards: Reward[] }>('/api/v1/rewards')).rewards), []);
  useEffect(() => { void load(); }, [load]);
  const attempt = async (action: () => Promise<void>) => {
    setMessage(null);
    try {
      await action();
    } catch (failure) {
      setMessage((failure as Error).message);
    }
  };
  const add = (event: FormEvent) => {
    event.preventDefault();
    void attempt(async () => {
      const value = draft.kind === 'percent_off' ? Number(draft.percent) : draft.kind === 'gift' ? null : Math.round(Number(draft.valueBaht) * 100);
      await post('/api/v1/rewards', {
        nameTh: draft.nameTh, nameEn: draft.nameEn, kind: draft.kind, value, costPoints: Number(draft.costPoints),
        stock: draft.stock.trim() ? Number(draft.stock) : null, issueOnSignup: draft.issueOnSignup,
      });
      setDraft(emptyReward);
      setMessage(t('saved', language));
      await load();
    });
  };
  const toggle = (reward: Reward) => void attempt(async () => {
    // Shown at once; the reload after the change shows what the server kept.
    setRewards(rewards.map((row) => (row.id === reward.id ? { ...row, active: !reward.active } : row)));
    try {
      await patch(`/api/v1/rewards/${encodeURIComponent(reward.id)}`, { active: !reward.active });
    } finally {
      await load();
    }
  });
  const lookUp = (event: FormEvent) => {
    event.preventDefault();
    void attempt(async () => setCoupon(await get<Coupon>(`/api/v1/coupons/${encodeURIComponent(code.trim())}`)));
  };
  const consume = () => void attempt(async () => setCoupon(await post<Coupon>(`/api/v1/coupons/${encodeURIComponent(coupon?.code ?? '')}/consume`, {})));
  const cancel = () => void attempt(async () => setCoupon(await post<Coupon>(`/api/v1/coupons/${encodeURIComponent(coupon?.code ?? '')}/cancel`, { reason: cancelReason })));
  const valueOf = (reward: Reward) => (reward.kind === 'percent_off' ? `${reward.value}%` : reward.value === null ? '' : formatBaht(reward.value, language));
  const set = <K extends keyof typeof emptyReward>(key: K, value: (typeof emptyReward)[K]) => setDraft({ ...draft, [key]: value });

  return (
    <div className="wide">
      <h1>{t('rewardsAndCoupons', language)}</h1>
      {message && <p role="status">{message}</p>}
      <table aria-label={t('rewardsCatalogue', language)}>
        <thead><tr><th>{t('name', language)}</th><th>{t('rewardKind', language)}</th><th>{t('costPoints', language)}</th><th>{t('stockLeft', language)}</th><th /></tr></thead>
        <tbody>{rewards.map((reward) => (
          <tr key={reward.id}>
            <td>{language === 'th' ? reward.nameTh : reward.nameEn}{reward.issueOnSignup ? ` (${t('signupGift', language)})` : ''}</td>
            <td>{t(`kind_${reward.kind}` as 'kind_gift', language)} {valueOf(reward)}</td>
            <td>{reward.costPoints}</td>
            <td>{reward.stockRemaining ?? '∞'}</td>
            <td><label className="check"><input type="checkbox" checked={reward.active} onChange={() => toggle(reward)} aria-label={`${t('active', language)}: ${reward.nameEn}`} />{t('active', language)}</label></td>
          </tr>
        ))}</tbody>
      </table>
      <form className="card" onSubmit={add} aria-label={t('addReward', language)}>
        <h2>{t('addReward', language)}</h2>
        <label>{t('nameTh', language)}<input name="nameTh" required value={draft.nameTh} onChange={(event) => set('nameTh', event.target.value)} /></label>
        <label>{t('nameEn', language)}<input name="nameEn" required value={draft.nameEn} onChange={(event) => set('nameEn', event.target.value)} /></label>
        <label>{t('rewardKind', language)}
          <select name="kind" value={draft.kind} onChange={(event) => set('kind', event.target.value as (typeof kinds)[number])}>
            {kinds.map((kind) => <option key={kind} value={kind}>{t(`kind_${kind}`, language)}</option>)}
          </select>
        </label>
        {(draft.kind === 'amount_off' || draft.kind === 'free_item') && <label>{t('valueBaht', language)}<input name="valueBaht" type="number" min={1} step="any" required value={draft.valueBaht} onChange={(event) => set('valueBaht', event.target.value)} /></label>}
        {draft.kind === 'percent_off' && <label>{t('percentOff', language)}<input name="percent" type="number" min={1} max={100} required value={draft.percent} onChange={(event) => set('percent', event.target.value)} /></label>}
        <label>{t('costPoints', language)}<input name="costPoints" type="number" min={0} required value={draft.costPoints} onChange={(event) => set('costPoints', event.target.value)} /></label>
        <label>{t('stock', language)}<input name="stock" type="number" min={0} value={draft.stock} onChange={(event) => set('stock', event.target.value)} /></label>
        <label className="check"><input type="checkbox" checked={draft.issueOnSignup} onChange={(event) => set('issueOnSignup', event.target.checked)} />{t('signupGift', language)}</label>
        <button type="submit">{t('addReward', language)}</button>
      </form>
      <form className="card" onSubmit={lookUp} aria-label={t('couponDesk', language)}>
        <h2>{t('couponDesk', language)}</h2>
        <label>{t('couponCode', language)}<input name="couponCode" required value={code} onChange={(event) => setCode(event.target.value)} /></label>
        <button type="submit">{t('search', language)}</button>
        {coupon && (
          <div className="stack" aria-label={t('coupon', language)} role="group">
            <p>{coupon.code} · <strong data-testid="coupon-status" data-status={coupon.status}>{tv(coupon.status, language)}</strong> · <a href={`/members/${coupon.memberId}`}>{t('member', language)}</a></p>
            {coupon.status === 'issued' && (
              <>
                <button type="button" onClick={consume}>{t('redeem', language)}</button>
                <label>{t('reason', language)}<input name="cancelReason" value={cancelReason} onChange={(event) => setCancelReason(event.target.value)} /></label>
                <button type="button" className="secondary" disabled={!cancelReason.trim()} onClick={cancel}>{t('cancelCoupon', language)}</button>
              </>
            )}
          </div>
        )}
      </form>
    </div>
  );
}
