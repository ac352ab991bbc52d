import { useState } from 'react';
import type { Language } from '../i18n';
import type { MemberCard } from './api';
import { pt } from './texts';

/** The member's referral link, with LINE and Facebook share buttons and a copy button. */
export function InviteTab({ card, language }: { card: MemberCard; language: Language }) {
  const [copied, setCopied] = useState(false);
  const link = card.referral.link;
  const copy = async () => {
    await navigator.clipboard.writeText(link);
    setCopied(true);
  };
  return (
    <section className="stack" aria-label={pt('invite', language)}>
      <h2>{pt('invite', language)}</h2>
      <p>{pt('inviteHelp', language)}</p>
      <label>{pt('invite', language)}<input readOnly value={link} onFocus={(event) => event.target.select()} /></label>
      <a className="button line" href={`https://line.me/R/share?text=${encodeURIComponent(`${card.merchant.name} ${link}`)}`} target="_blank" rel="noopener noreferrer">{pt('shareLine', language)}</a>
      <a className="button facebook" href={`https://www.facebook.com/sharer/sharer.php?u=${encodeURIComponent(link)}`} target="_blank" rel="noopener noreferrer">{pt('shareFacebook', language)}</a>
      <button type="button" onClick={() => void copy()}>{copied ? pt('copied', language) : pt('copyLink', language)}</button>
    </section>
  );
}
