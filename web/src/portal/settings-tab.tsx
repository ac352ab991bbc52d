import { useState } from 'react';
import { formatDateTime, type Language } from '../i18n';
import { setConsent, type MemberCard } from './api';
import { pt } from './texts';

/** Consent to marketing (the time of the choice is kept by the shop) and signing out. */
export function SettingsTab({ card, language, onChange, onSignOut }: { card: MemberCard; language: Language; onChange: () => Promise<void>; onSignOut: () => void }) {
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const toggle = async (marketing: boolean) => {
    setSaved(false);
    setError(null);
    try {
      await setConsent(marketing);
      await onChange();
      setSaved(true);
    } catch (failure) {
      setError((failure as Error).message);
    }
  };
  return (
    <section className="stack" aria-label={pt('settings', language)}>
      <h2>{pt('settings', language)}</h2>
      <label className="check"><input type="checkbox" checked={card.consent.marketing} onChange={(event) => void toggle(event.target.checked)} />{pt('marketingConsent', language)}</label>
      {card.consent.updatedAt && <p><small>{formatDateTime(card.consent.updatedAt, language, card.merchant.timeZone)}</small></p>}
      {saved && <p role="status">{pt('consentSaved', language)}</p>}
      {error && <p role="alert" className="error">{error}</p>}
      <button type="button" className="secondary" onClick={onSignOut}>{pt('signOut', language)}</button>
    </section>
  );
}
