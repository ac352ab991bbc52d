import { useCallback, useEffect, useState } from 'react';
import { get, post } from './api';
import { t, tv, type Language } from './i18n';

interface Ugc { id: string; memberId: string; kind: string; rating: number | null; text: string | null; postUrl: string | null; mediaUrl: string | null; uploadId: string | null; productId: string | null; consent: boolean }
interface Referral { id: string; referrerMemberId: string; refereeMemberId: string; flags: string[]; createdAt: string }

/** The two review queues: content waiting for moderation and referrals the fraud checks held. */
export function Moderation({ language }: { language: Language }) {
  const [items, setItems] = useState<Ugc[]>([]);
  const [referrals, setReferrals] = useState<Referral[]>([]);
  const [reasons, setReasons] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const load = useCallback(async () => {
    const [ugc, held] = await Promise.all([
      get<{ items: Ugc[] }>('/api/v1/ugc?status=pending&limit=100'),
      get<{ referrals: Referral[] }>('/api/v1/referrals?status=flagged&limit=100'),
    ]);
    setItems(ugc.items);
    setReferrals(held.referrals);
  }, []);
  useEffect(() => { void load(); }, [load]);
  const act = async (path: string, body: unknown) => {
    try {
      await post(path, body);
      setMessage(null);
    } catch (failure) {
      setMessage((failure as Error).message);
    }
    await load();
  };
  const reasonOf = (id: string) => reasons[id]?.trim() || t('rejectedByStaff', language);
  const reasonInput = (id: string) => (
    <input aria-label={t('reason', language)} placeholder={t('reason', language)} value={reasons[id] ?? ''} onChange={(event) => setReasons({ ...reasons, [id]: event.target.value })} />
  );
  return (
    <div className="wide">
      <h1>{t('moderation', language)}</h1>
      {message && <p role="alert" className="error">{message}</p>}
      <h2>{t('ugcQueue', language)} ({items.length})</h2>
      {items.length === 0 && <p>{t('nothingWaiting', language)}</p>}
      {items.map((item) => (
        <div key={item.id} className="queue-item" data-ugc-id={item.id}>
          <div>
            <strong>{tv(item.kind, language)}</strong>{item.rating !== null && ` · ${'★'.repeat(item.rating)}`}{item.productId && ` · ${item.productId}`}
            {!item.consent && <em> · {t('noConsent', language)}</em>}
            {item.text && <p className="member-text">{item.text}</p>}
            {item.postUrl && <a href={item.postUrl} target="_blank" rel="noopener noreferrer">{item.postUrl}</a>}
          </div>
          <div className="actions">
            <button type="button" onClick={() => void act(`/api/v1/ugc/${item.id}/approve`, {})}>{t('approve', language)}</button>
            {reasonInput(item.id)}
            <button type="button" className="secondary" onClick={() => void act(`/api/v1/ugc/${item.id}/reject`, { reason: reasonOf(item.id) })}>{t('reject', language)}</button>
          </div>
        </div>
      ))}
      <h2>{t('referralQueue', language)} ({referrals.length})</h2>
      {referrals.length === 0 && <p>{t('nothingWaiting', language)}</p>}
      {referrals.map((referral) => (
        <div key={referral.id} className="queue-item" data-referral-id={referral.id}>
          <div>
            <a href={`/members/${referral.referrerMemberId}`}>{t('referrer', language)}</a> → <a href={`/members/${referral.refereeMemberId}`}>{t('friend', language)}</a>
            <p>{referral.flags.join(', ')}</p>
          </div>
          <div className="actions">
            <button type="button" onClick={() => void act(`/api/v1/referrals/${referral.id}/approve`, reasons[referral.id]?.trim() ? { reason: reasons[referral.id]?.trim() } : {})}>{t('approve', language)}</button>
            {reasonInput(referral.id)}
            <button type="button" className="secondary" onClick={() => void act(`/api/v1/referrals/${referral.id}/reject`, { reason: reasonOf(referral.id) })}>{t('reject', language)}</button>
          </div>
        </div>
      ))}
    </div>
  );
}
