import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { get, patch, post, type Staff } from './api';
import { t, type Language } from './i18n';

interface Merchant { name: string; timeZone: string; atRiskDays: number; websiteUrl: string | null; referralConvertsOn: 'signup' | 'first_order'; referralWeeklyLimit: number }
interface StaffRow extends Staff { disabled: boolean; maxPointsPerTransaction: number | null; maxPointsPerDay: number | null }

/** The shop's profile and programme settings, and (for owners) its staff. */
export function Settings({ language, isOwner }: { language: Language; isOwner: boolean }) {
  const [merchant, setMerchant] = useState<Merchant | null>(null);
  const [staff, setStaff] = useState<StaffRow[]>([]);
  const [message, setMessage] = useState<string | null>(null);
  const [newStaff, setNewStaff] = useState({ email: '', name: '', role: 'cashier', password: '' });
  const load = useCallback(async () => {
    setMerchant(await get<Merchant>('/api/v1/merchant'));
    if (isOwner) setStaff((await get<{ staff: StaffRow[] }>('/api/v1/staff')).staff);
  }, [isOwner]);
  useEffect(() => { void load(); }, [load]);
  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (!merchant) return;
    try {
      setMerchant(await patch<Merchant>('/api/v1/merchant', {
        name: merchant.name, timeZone: merchant.timeZone, atRiskDays: merchant.atRiskDays, websiteUrl: merchant.websiteUrl || null,
        referralConvertsOn: merchant.referralConvertsOn, referralWeeklyLimit: merchant.referralWeeklyLimit,
      }));
      setMessage(t('saved', language));
    } catch (failure) {
      setMessage((failure as Error).message);
    }
  };
  const addStaff = async (event: FormEvent) => {
    event.preventDefault();
    try {
      await post('/api/v1/staff', newStaff);
      setNewStaff({ email: '', name: '', role: 'cashier', password: '' });
      setMessage(t('saved', language));
      await load();
    } catch (failure) {
      setMessage((failure as Error).message);
    }
  };
  if (!merchant) return null;
  const field = <K extends keyof Merchant>(key: K, value: Merchant[K]) => setMerchant({ ...merchant, [key]: value });
  return (
    <div className="wide">
      <h1>{t('settings', language)}</h1>
      {message && <p role="status">{message}</p>}
      <form className="card" onSubmit={(event) => void save(event)} aria-label={t('settings', language)}>
        <label>{t('shopName', language)}<input name="name" required value={merchant.name} onChange={(event) => field('name', event.target.value)} /></label>
        <label>{t('timeZone', language)}<input name="timeZone" required value={merchant.timeZone} onChange={(event) => field('timeZone', event.target.value)} /></label>
        <label>{t('website', language)}<input name="websiteUrl" type="url" value={merchant.websiteUrl ?? ''} onChange={(event) => field('websiteUrl', event.target.value)} /></label>
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
            <tbody>{staff.map((row) => <tr key={row.id}><td>{row.name}</td><td>{row.email}</td><td>{row.role}{row.disabled ? ' (disabled)' : ''}</td></tr>)}</tbody>
          </table>
          <form className="card" onSubmit={(event) => void addStaff(event)} aria-label={t('addStaff', language)}>
            <h2>{t('addStaff', language)}</h2>
            <label>{t('email', language)}<input name="staffEmail" type="email" required value={newStaff.email} onChange={(event) => setNewStaff({ ...newStaff, email: event.target.value })} /></label>
            <label>{t('name', language)}<input name="staffName" required value={newStaff.name} onChange={(event) => setNewStaff({ ...newStaff, name: event.target.value })} /></label>
            <label>{t('role', language)}
              <select name="role" value={newStaff.role} onChange={(event) => setNewStaff({ ...newStaff, role: event.target.value })}>
                <option value="cashier">cashier</option><option value="manager">manager</option><option value="owner">owner</option>
              </select>
            </label>
            <label>{t('password', language)}<input name="staffPassword" type="password" autoComplete="new-password" required minLength={10} value={newStaff.password} onChange={(event) => setNewStaff({ ...newStaff, password: event.target.value })} /></label>
            <button type="submit">{t('addStaff', language)}</button>
          </form>
        </>
      )}
    </div>
  );
}
