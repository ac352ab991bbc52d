import { useEffect, useState } from 'react';
import { formatDateTime, formatPoints, tv, type Language } from '../i18n';
import { loadHistory, type HistoryLine, type MemberCard } from './api';
import { pt } from './texts';

export function HistoryTab({ card, language }: { card: MemberCard; language: Language }) {
  const [lines, setLines] = useState<HistoryLine[] | null>(null);
  useEffect(() => { void loadHistory().then((answer) => setLines(answer.transactions)); }, []);
  if (lines === null) return null;
  if (lines.length === 0) return <p>{pt('noHistory', language)}</p>;
  return (
    <ul className="history" aria-label={pt('history', language)}>
      {lines.map((line) => (
        <li key={line.id}>
          <span>
            <strong>{tv(line.kind, language)}</strong>
            {line.reason && <small> · {line.reason}</small>}
            <br /><small>{formatDateTime(line.createdAt, language, card.merchant.timeZone)}</small>
          </span>
          <span className={line.walletChange < 0 ? 'minus' : 'plus'}>{line.walletChange > 0 ? '+' : ''}{formatPoints(line.walletChange, language)}</span>
        </li>
      ))}
    </ul>
  );
}
