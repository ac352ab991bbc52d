import encodeQR from 'qr';
import { formatDate, formatPoints, type Language } from '../i18n';
import type { MemberCard } from './api';
import { pt } from './texts';

/** "2026-12-31" is already the shop's calendar date: format it as a date, not as a moment. */
export const formatLocalDate = (date: string, language: Language) => formatDate(`${date}T12:00:00Z`, language, 'UTC');

/** The card to show at the counter: QR code, balance, pending points and what expires soon. */
export function CardTab({ card, language }: { card: MemberCard; language: Language }) {
  const qrSvg = encodeQR(card.cardCode, 'svg', { ecc: 'medium', border: 2 });
  const { balance } = card;
  return (
    <section className="member-card" aria-label={pt('memberCard', language)}>
      <div className="card-face">
        <p className="member-name">{card.member.name ?? card.member.phoneDisplay ?? card.member.id}</p>
        {card.tier && <p className="tier">{pt('tier', language)}: <strong>{card.tier.name}</strong></p>}
        <p className="big-points"><span data-testid="available-points">{formatPoints(balance.availablePoints, language)}</span> {pt('points', language)}</p>
        <p>{pt('available', language)}</p>
      </div>
      {/* The SVG comes from the QR library for our own payload, never from user input. */}
      <div className="qr" role="img" aria-label={`QR ${card.cardCode}`} dangerouslySetInnerHTML={{ __html: qrSvg }} />
      <p className="hint">{pt('showAtCounter', language)}</p>
      <dl className="balance-lines">
        <dt>{pt('pending', language)}</dt><dd data-testid="pending-points">{formatPoints(balance.pendingPoints, language)} {pt('points', language)}</dd>
        <dt>{pt('expiringSoon', language)}</dt>
        <dd>
          {balance.expiring.length === 0 ? pt('nothingExpiring', language) : (
            <ul className="expiring">
              {balance.expiring.slice(0, 5).map((group) => (
                <li key={group.expiresAt}>{formatPoints(group.points, language)} {pt('points', language)} {pt('expiresOn', language)} <time dateTime={group.lastUsableDate}>{formatLocalDate(group.lastUsableDate, language)}</time></li>
              ))}
            </ul>
          )}
        </dd>
      </dl>
    </section>
  );
}
