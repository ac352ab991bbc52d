import { useState } from 'react';
import { formatDateTime, type Language } from '../i18n';
import { setConsent, type MemberCard } from './api';
import { pt } from './texts';

/** Consent to marketing (the time of the choice is kept by the shop) and signing out. */
export function SettingsTab({ card, language, onChange, onSignOut }: { card: MemberCard; language: Language; onChange: () => Promise<void>; onSignOut: () => void }) {
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // Shown at once; put back if the shop's server refuses it.
  const [marketing, setMarketing] = useState(card.consent.marketing);
  const toggle = async (next: boolean) => {
    setSaved(false);
    setError(null);
    setMarketing(next);
    try {
      await setConsent(next);
      await onChange();
      setSaved(true);
    } catch (failure) {
      setMarketing(!next);
      setError((failure as Error).message);
    }
  };
  return (
    <section className="stack" aria-label={pt('settings', language)}>
      <h2>{pt('settings', language)}</h2>
      <label className="check"><input type="checkbox" checked={marketing} onChange={(event) => void toggle(event.target.checked)} />{pt('marketingConsent', language)}</label>
      {card.consent.updatedAt && <p><small>{formatDateTime(card.consent.updatedAt, language, card.merchant.timeZone)}</small></p>}
      {saved && <p role="status">{pt('consentSaved', language)}</p>}
      {error && <p role="alert" className="error">{error}</p>}
      <button type="button" className="secondary" onClick={onSignOut}>{pt('signOut', language)}</button>
    </section>
  );
}
