import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { get, post } from './api';
import { t, type Language } from './i18n';

interface Member { id: string; name: string | null; phone: string | null; email: string | null; externalId: string | null; createdAt: string }
interface Balance { availablePoints: number; pendingPoints: number; expiringWithin30DaysPoints: number }
interface Transaction { id: string; kind: string; points: number; walletChange: number; reason: string | null; createdAt: string }

/** Find a member by part of a name, email or phone. */
export function MemberSearch({ language }: { language: Language }) {
  const [query, setQuery] = useState('');
  const [members, setMembers] = useState<Member[] | null>(null);
  const search = async (event: FormEvent) => {
    event.preventDefault();
    const found = await get<{ members: Member[] }>(`/api/v1/members?limit=50${query.trim() ? `&q=${encodeURIComponent(query.trim())}` : ''}`);
    setMembers(found.members);
  };
  useEffect(() => { void get<{ members: Member[] }>('/api/v1/members?limit=50').then((found) => setMembers(found.members)); }, []);
  return (
    <div className="wide">
      <h1>{t('members', language)}</h1>
      <form className="search" onSubmit={(event) => void search(event)} role="search">
        <input name="q" aria-label={t('searchMembers', language)} placeholder={t('searchMembers', language)} value={query} onChange={(event) => setQuery(event.target.value)} />
        <button type="submit">{t('search', language)}</button>
      </form>
      <table>
        <thead><tr><th>{t('name', language)}</th><th>{t('phone', language)}</th><th>{t('email', language)}</th></tr></thead>
        <tbody>
          {(members ?? []).map((member) => (
            <tr key={member.id}>
              <td><a href={`/members/${member.id}`}>{member.name ?? member.externalId ?? member.id}</a></td>
              <td>{member.phone ?? ''}</td>
              <td>{member.email ?? ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {members?.length === 0 && <p>{t('noMembers', language)}</p>}
    </div>
  );
}

/** One member: balance, tier, points history, and a staff correction with a reason. */
export function MemberPage({ language, memberId, canAdjust }: { language: Language; memberId: string; canAdjust: boolean }) {
  const [member, setMember] = useState<Member | null>(null);
  const [balance, setBalance] = useState<Balance | null>(null);
  const [tier, setTier] = useState<{ tier: { name: string } | null; nextTier: { name: string; missing: number } | null } | null>(null);
  const [history, setHistory] = useState<Transaction[]>([]);
  const [points, setPoints] = useState('');
  const [reason, setReason] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const load = useCallback(async () => {
    const [m, b, h] = await Promise.all([
      get<Member>(`/api/v1/members/${memberId}`),
      get<Balance>(`/api/v1/members/${memberId}/balance`),
      get<{ transactions: Transaction[] }>(`/api/v1/members/${memberId}/transactions?limit=20`),
    ]);
    setMember(m);
    setBalance(b);
    setHistory(h.transactions);
    setTier(await get<{ tier: { name: string }; nextTier: { name: string; missing: number } | null }>(`/api/v1/members/${memberId}/tier`).catch(() => null));
  }, [memberId]);
  useEffect(() => { void load(); }, [load]);
  const adjust = async (event: FormEvent) => {
    event.preventDefault();
    try {
      await post('/api/v1/points/adjust', { memberId, points: Number(points), reason });
      setPoints('');
      setReason('');
      setMessage(t('adjusted', language));
      await load();
    } catch (failure) {
      setMessage((failure as Error).message);
    }
  };
  if (!member || !balance) return null;
  return (
    <div className="wide">
      <p><a href="/members">← {t('members', language)}</a></p>
      <h1>{member.name ?? member.externalId ?? member.id}</h1>
      <p>{[member.phone, member.email].filter(Boolean).join(' · ')}</p>
      <div className="cards">
        <div className="stat"><span>{t('balance', language)}</span><strong data-testid="member-balance">{balance.availablePoints}</strong></div>
        <div className="stat"><span>{t('pending', language)}</span><strong>{balance.pendingPoints}</strong></div>
        <div className="stat"><span>{t('expiringSoon', language)}</span><strong>{balance.expiringWithin30DaysPoints}</strong></div>
        {tier?.tier && <div className="stat"><span>{t('tier', language)}</span><strong>{tier.tier.name}</strong>{tier.nextTier && <small>{tier.nextTier.missing} → {tier.nextTier.name}</small>}</div>}
      </div>
      <h2>{t('history', language)}</h2>
      <table>
        <thead><tr><th>{t('when', language)}</th><th>{t('what', language)}</th><th>{t('points', language)}</th><th>{t('reason', language)}</th></tr></thead>
        <tbody>
          {history.map((row) => (
            <tr key={row.id}><td>{new Date(row.createdAt).toLocaleString(language === 'th' ? 'th-TH' : 'en-GB')}</td><td>{row.kind}</td><td>{row.walletChange > 0 ? `+${row.walletChange}` : row.walletChange}</td><td>{row.reason ?? ''}</td></tr>
          ))}
        </tbody>
      </table>
      {canAdjust && (
        <form className="card" onSubmit={(event) => void adjust(event)} aria-label={t('adjustPoints', language)}>
          <h2>{t('adjustPoints', language)}</h2>
          <label>{t('pointsChange', language)}<input name="points" inputMode="numeric" required pattern="-?\d+" value={points} onChange={(event) => setPoints(event.target.value)} /></label>
          <label>{t('reason', language)}<input name="reason" required value={reason} onChange={(event) => setReason(event.target.value)} /></label>
          <button type="submit">{t('adjustPoints', language)}</button>
          {message && <p role="status">{message}</p>}
        </form>
      )}
    </div>
  );
}
