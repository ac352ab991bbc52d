import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { get, post } from './api';
import { formatDateTime, t, tv, type Language } from './i18n';

interface Member { id: string; name: string | null; phone: string | null; email: string | null; externalId: string | null; createdAt: string }
interface Balance { availablePoints: number; pendingPoints: number; expiringWithin30DaysPoints: number; expiring: { lastUsableDate: string; points: number }[] }
interface Person { currentStage: string | null; atRisk: boolean; stages: { key: string; name: string; reachedAt: string }[] }
type TimelineItem = { kind: 'event'; at: string; eventId: string; type: string; event: string | null } | { kind: 'points'; at: string; transactionId: string; transactionKind: string; walletChange: number; reason: string | null };
interface Referral { id: string; refereeMemberId: string; referrerMemberId: string; status: string; createdAt: string }
interface Ugc { id: string; kind: string; status: string; text: string | null; submittedAt: string }
interface Coupon { code: string; status: string; expiresAt: string }
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

/**
 * One member: journey stage, balance with what expires when, tier, the timeline of events and points,
 * coupons, referrals and content, and a staff correction with a reason.
 */
export function MemberPage({ language, memberId, canAdjust }: { language: Language; memberId: string; canAdjust: boolean }) {
  const [member, setMember] = useState<Member | null>(null);
  const [balance, setBalance] = useState<Balance | null>(null);
  const [tier, setTier] = useState<{ tier: { name: string } | null; nextTier: { name: string; missing: number } | null } | null>(null);
  const [history, setHistory] = useState<Transaction[]>([]);
  const [person, setPerson] = useState<Person | null>(null);
  const [timeline, setTimeline] = useState<TimelineItem[]>([]);
  const [referrals, setReferrals] = useState<Referral[]>([]);
  const [ugc, setUgc] = useState<Ugc[]>([]);
  const [coupons, setCoupons] = useState<Coupon[]>([]);
  const [timeZone, setTimeZone] = useState('Asia/Bangkok');
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
    // Everything else at once: the tier (none without a tier programme), timeline, referrals, content, coupons.
    const [tierAnswer, line, made, shared, held, merchant] = await Promise.all([
      get<{ tier: { name: string }; nextTier: { name: string; missing: number } | null }>(`/api/v1/members/${memberId}/tier`).catch(() => null),
      get<{ personId: string | null; items: TimelineItem[] }>(`/api/v1/members/${memberId}/timeline?limit=100`),
      get<{ referrals: Referral[] }>(`/api/v1/referrals?referrerMemberId=${encodeURIComponent(memberId)}&limit=50`),
      get<{ items: Ugc[] }>(`/api/v1/ugc?memberId=${encodeURIComponent(memberId)}&limit=50`),
      get<{ coupons: Coupon[] }>(`/api/v1/members/${memberId}/coupons`),
      get<{ timeZone: string }>('/api/v1/merchant'),
    ]);
    setTier(tierAnswer);
    setTimeline([...line.items].reverse());
    setReferrals(made.referrals);
    setUgc(shared.items);
    setCoupons(held.coupons);
    setTimeZone(merchant.timeZone);
    setPerson(line.personId ? await get<Person>(`/api/v1/people/${encodeURIComponent(line.personId)}`).catch(() => null) : null);
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
        <div className="stat"><span>{t('journeyStage', language)}</span><strong data-testid="member-stage">{person?.stages.find((stage) => stage.key === person.currentStage)?.name ?? '–'}</strong>{person?.atRisk && <small>{t('atRisk', language)}</small>}</div>
        {tier?.tier && <div className="stat"><span>{t('tier', language)}</span><strong>{tier.tier.name}</strong>{tier.nextTier && <small>{tier.nextTier.missing} → {tier.nextTier.name}</small>}</div>}
      </div>
      {balance.expiring.length > 0 && (
        <p>{t('expiringSoon', language)}: {balance.expiring.map((group) => `${group.points} (${group.lastUsableDate})`).join(', ')}</p>
      )}
      <h2>{t('timeline', language)}</h2>
      <table aria-label={t('timeline', language)}>
        <thead><tr><th>{t('when', language)}</th><th>{t('what', language)}</th><th>{t('points', language)}</th></tr></thead>
        <tbody>
          {timeline.map((item) => item.kind === 'event'
            ? <tr key={`e${item.eventId}`}><td>{formatDateTime(item.at, language, timeZone)}</td><td>{item.event ?? item.type}</td><td /></tr>
            : <tr key={`p${item.transactionId}`}><td>{formatDateTime(item.at, language, timeZone)}</td><td>{tv(item.transactionKind, language)}{item.reason ? ` · ${item.reason}` : ''}</td><td>{item.walletChange > 0 ? `+${item.walletChange}` : item.walletChange}</td></tr>)}
        </tbody>
      </table>
      <div className="charts">
        <section aria-label={t('coupons', language)}>
          <h2>{t('coupons', language)}</h2>
          {coupons.length === 0 ? <p>–</p> : <ul>{coupons.map((coupon) => <li key={coupon.code}>{coupon.code} · {tv(coupon.status, language)}</li>)}</ul>}
        </section>
        <section aria-label={t('referralsMade', language)}>
          <h2>{t('referralsMade', language)}</h2>
          {referrals.length === 0 ? <p>–</p> : <ul>{referrals.map((referral) => <li key={referral.id}><a href={`/members/${referral.refereeMemberId}`}>{referral.refereeMemberId}</a> · {tv(referral.status, language)}</li>)}</ul>}
        </section>
        <section aria-label={t('contentShared', language)}>
          <h2>{t('contentShared', language)}</h2>
          {ugc.length === 0 ? <p>–</p> : <ul>{ugc.map((item) => <li key={item.id}>{tv(item.kind, language)} · {tv(item.status, language)}{item.text ? ` · ${item.text}` : ''}</li>)}</ul>}
        </section>
      </div>
      <h2>{t('history', language)}</h2>
      <table aria-label={t('history', language)}>
        <thead><tr><th>{t('when', language)}</th><th>{t('what', language)}</th><th>{t('points', language)}</th><th>{t('reason', language)}</th></tr></thead>
        <tbody>
          {history.map((row) => (
            <tr key={row.id}><td>{formatDateTime(row.createdAt, language, timeZone)}</td><td>{tv(row.kind, language)}</td><td>{row.walletChange > 0 ? `+${row.walletChange}` : row.walletChange}</td><td>{row.reason ?? ''}</td></tr>
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
