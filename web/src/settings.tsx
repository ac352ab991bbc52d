import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { get, patch, post, type Staff } from './api';
import { t, tv, type Language } from './i18n';

type ExpiryPolicy = { kind: 'never' | 'end_of_year' | 'end_of_next_year' } | { kind: 'months_after_earn'; months: number };
interface TransferLimits { minPoints: number; maxPoints: number | null; maxPointsPerMonth: number | null }
interface Merchant {
  name: string; timeZone: string; atRiskDays: number; websiteUrl: string | null; referralConvertsOn: 'signup' | 'first_order'; referralWeeklyLimit: number;
  expiryPolicy: ExpiryPolicy; transferLimits: TransferLimits; lineChannelId: string | null; liffId: string | null;
}
interface StaffRow extends Staff { disabled: boolean; maxPointsPerTransaction: number | null; maxPointsPerDay: number | null }
interface ApiKey { id: string; kind: string; label: string; prefix: string; createdAt: string; revokedAt: string | null }

// Every IANA zone the browser knows, for the time zone picker.
const timeZones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : ['Asia/Bangkok'];
const optionalNumber = (text: string) => (text.trim() === '' ? null : Number(text));

/** The shop's profile and programme settings, and (for owners) its staff and API keys. */
export function Settings({ language, isOwner }: { language: Language; isOwner: boolean }) {
  const [merchant, setMerchant] = useState<Merchant | null>(null);
  const [staff, setStaff] = useState<StaffRow[]>([]);
  const [keys, setKeys] = useState<ApiKey[]>([]);
  const [newKey, setNewKey] = useState({ kind: 'secret', label: '' });
  const [shownSecret, setShownSecret] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [newStaff, setNewStaff] = useState({ email: '', name: '', role: 'cashier', password: '' });
  const load = useCallback(async () => {
    setMerchant(await get<Merchant>('/api/v1/merchant'));
    if (isOwner) {
      setStaff((await get<{ staff: StaffRow[] }>('/api/v1/staff')).staff);
      setKeys((await get<{ keys: ApiKey[] }>('/api/v1/keys')).keys);
    }
  }, [isOwner]);
  useEffect(() => { void load(); }, [load]);
  const attempt = async (action: () => Promise<void>) => {
    try {
      await action();
      setMessage(t('saved', language));
    } catch (failure) {
      setMessage((failure as Error).message);
    }
  };
  const save = (event: FormEvent) => {
    event.preventDefault();
    if (!merchant) return;
    void attempt(async () => {
      setMerchant(await patch<Merchant>('/api/v1/merchant', {
        name: merchant.name, timeZone: merchant.timeZone, atRiskDays: merchant.atRiskDays, websiteUrl: merchant.websiteUrl || null,
        referralConvertsOn: merchant.referralConvertsOn, referralWeeklyLimit: merchant.referralWeeklyLimit,
        expiryPolicy: merchant.expiryPolicy, transferLimits: merchant.transferLimits,
        lineChannelId: merchant.lineChannelId?.trim() || null, liffId: merchant.liffId?.trim() || null,
      }));
    });
  };
  const addStaff = (event: FormEvent) => {
    event.preventDefault();
    void attempt(async () => {
      await post('/api/v1/staff', newStaff);
      setNewStaff({ email: '', name: '', role: 'cashier', password: '' });
      await load();
    });
  };
  const createKey = (event: FormEvent) => {
    event.preventDefault();
    void attempt(async () => {
      setShownSecret((await post<{ secret: string }>('/api/v1/keys', newKey)).secret);
      setNewKey({ kind: 'secret', label: '' });
      await load();
    });
  };
  const revokeKey = (id: string) => void attempt(async () => {
    await post(`/api/v1/keys/${encodeURIComponent(id)}/revoke`, {});
    await load();
  });
  if (!merchant) return null;
  const field = <K extends keyof Merchant>(key: K, value: Merchant[K]) => setMerchant({ ...merchant, [key]: value });
  const limit = (key: keyof TransferLimits, value: number | null) => field('transferLimits', { ...merchant.transferLimits, [key]: value });
  const policy = merchant.expiryPolicy;
  return (
    <div className="wide">
      <h1>{t('settings', language)}</h1>
      {message && <p role="status">{message}</p>}
      <form className="card" onSubmit={save} aria-label={t('settings', language)}>
        <label>{t('shopName', language)}<input name="name" required value={merchant.name} onChange={(event) => field('name', event.target.value)} /></label>
        <label>{t('timeZone', language)}
          <select name="timeZone" value={merchant.timeZone} onChange={(event) => field('timeZone', event.target.value)}>
            {(timeZones.includes(merchant.timeZone) ? timeZones : [merchant.timeZone, ...timeZones]).map((zone) => <option key={zone} value={zone}>{zone}</option>)}
          </select>
        </label>
        <label>{t('website', language)}<input name="websiteUrl" type="url" value={merchant.websiteUrl ?? ''} onChange={(event) => field('websiteUrl', event.target.value)} /></label>
        <label>{t('expiryPolicy', language)}
          <select name="expiryPolicy" value={policy.kind} onChange={(event) => {
            const kind = event.target.value as ExpiryPolicy['kind'];
            field('expiryPolicy', kind === 'months_after_earn' ? { kind, months: 12 } : { kind });
          }}>
            <option value="never">{t('expiryNever', language)}</option>
            <option value="months_after_earn">{t('expiryMonths', language)}</option>
            <option value="end_of_year">{t('expiryEndOfYear', language)}</option>
            <option value="end_of_next_year">{t('expiryEndOfNextYear', language)}</option>
          </select>
        </label>
        {policy.kind === 'months_after_earn' && <label>{t('months', language)}<input name="expiryMonths" type="number" min={1} max={120} required value={policy.months} onChange={(event) => field('expiryPolicy', { kind: 'months_after_earn', months: Number(event.target.value) })} /></label>}
        <label>{t('transferMin', language)}<input name="transferMin" type="number" min={1} required value={merchant.transferLimits.minPoints} onChange={(event) => limit('minPoints', Number(event.target.value))} /></label>
        <label>{t('transferMax', language)}<input name="transferMax" type="number" min={1} value={merchant.transferLimits.maxPoints ?? ''} onChange={(event) => limit('maxPoints', optionalNumber(event.target.value))} /></label>
        <label>{t('transferMonthly', language)}<input name="transferMonthly" type="number" min={1} value={merchant.transferLimits.maxPointsPerMonth ?? ''} onChange={(event) => limit('maxPointsPerMonth', optionalNumber(event.target.value))} /></label>
        <label>{t('lineChannelId', language)}<input name="lineChannelId" inputMode="numeric" value={merchant.lineChannelId ?? ''} onChange={(event) => field('lineChannelId', event.target.value)} /></label>
        <label>{t('liffId', language)}<input name="liffId" value={merchant.liffId ?? ''} onChange={(event) => field('liffId', event.target.value)} /></label>
        <label>{t('atRiskDays', language)}<input name="atRiskDays" type="number" min={1} max={3650} value={merchant.atRiskDays} onChange={(event) => field('atRiskDays', Number(event.target.value))} /></label>
        <label>{t('referralConvertsOn', language)}
          <select name="referralConvertsOn" value={merchant.referralConvertsOn} onChange={(event) => field('referralConvertsOn', event.target.value as Merchant['referralConvertsOn'])}>
            <option value="first_order">{t('firstOrder', language)}</option>
            <option value="signup">{t('signUp', language)}</option>
          </select>
        </label>
        <label>{t('referralWeeklyLimit', language)}<input name="referralWeeklyLimit" type="number" min={1} max={1000} value={merchant.referralWeeklyLimit} onChange={(event) => field('referralWeeklyLimit', Number(event.target.value))} /></label>
        <button type="submit">{t('save', language)}</button>
      </form>
      {isOwner && (
        <>
          <h2>{t('staff', language)}</h2>
          <table>
            <thead><tr><th>{t('name', language)}</th><th>{t('email', language)}</th><th>{t('role', language)}</th></tr></thead>
            <tbody>{staff.map((row) => <tr key={row.id}><td>{row.name}</td><td>{row.email}</td><td>{tv(row.role, language)}{row.disabled ? ` (${tv('disabled', language)})` : ''}</td></tr>)}</tbody>
          </table>
          <form className="card" onSubmit={addStaff} aria-label={t('addStaff', language)}>
            <h2>{t('addStaff', language)}</h2>
            <label>{t('email', language)}<input name="staffEmail" type="email" required value={newStaff.email} onChange={(event) => setNewStaff({ ...newStaff, email: event.target.value })} /></label>
            <label>{t('name', language)}<input name="staffName" required value={newStaff.name} onChange={(event) => setNewStaff({ ...newStaff, name: event.target.value })} /></label>
            <label>{t('role', language)}
              <select name="role" value={newStaff.role} onChange={(event) => setNewStaff({ ...newStaff, role: event.target.value })}>
                {(['cashier', 'manager', 'owner'] as const).map((role) => <option key={role} value={role}>{tv(role, language)}</option>)}
              </select>
            </label>
            <label>{t('password', language)}<input name="staffPassword" type="password" autoComplete="new-password" required minLength={10} value={newStaff.password} onChange={(event) => setNewStaff({ ...newStaff, password: event.target.value })} /></label>
            <button type="submit">{t('addStaff', language)}</button>
          </form>
          <h2>{t('apiKeys', language)}</h2>
          <table aria-label={t('apiKeys', language)}>
            <thead><tr><th>{t('keyLabel', language)}</th><th>{t('keyKind', language)}</th><th /></tr></thead>
            <tbody>{keys.map((key) => (
              <tr key={key.id}>
                <td>{key.label} <code>{key.prefix}</code></td><td>{tv(key.kind, language)}</td>
                <td>{key.revokedAt ? t('revoked', language) : <button type="button" onClick={() => revokeKey(key.id)} aria-label={`${t('revoke', language)} ${key.label}`}>{t('revoke', language)}</button>}</td>
              </tr>
            ))}</tbody>
          </table>
          <form className="card" onSubmit={createKey} aria-label={t('createKey', language)}>
            <label>{t('keyLabel', language)}<input name="keyLabel" required maxLength={100} value={newKey.label} onChange={(event) => setNewKey({ ...newKey, label: event.target.value })} /></label>
            <label>{t('keyKind', language)}
              <select name="keyKind" value={newKey.kind} onChange={(event) => setNewKey({ ...newKey, kind: event.target.value })}>
                <option value="secret">{t('secretKey', language)}</option><option value="write">{t('writeKey', language)}</option>
              </select>
            </label>
            <button type="submit">{t('createKey', language)}</button>
            {shownSecret && <p className="secret"><code data-testid="new-key">{shownSecret}</code><br />{t('keyShownOnce', language)}</p>}
          </form>
        </>
      )}
    </div>
  );
}
