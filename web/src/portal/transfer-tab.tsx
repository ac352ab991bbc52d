import { useRef, useState, type FormEvent } from 'react';
import { formatPoints, type Language } from '../i18n';
import { findRecipient, sendPoints, type MemberCard } from './api';
import { pt } from './texts';

/** Send points by phone number: who it is (masked) is shown for confirmation before anything moves. */
export function TransferTab({ card, language, onChange }: { card: MemberCard; language: Language; onChange: () => Promise<void> }) {
  const [phone, setPhone] = useState('');
  const [points, setPoints] = useState('');
  const [recipient, setRecipient] = useState<{ phone: string; phoneDisplay: string; name: string | null } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [sent, setSent] = useState(false);
  const requestId = useRef(crypto.randomUUID());
  const limits = card.merchant.transferLimits;
  const amount = Number(points);

  const next = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    setSent(false);
    try {
      setRecipient(await findRecipient(phone));
    } catch (failure) {
      setError((failure as Error).message);
    }
  };
  const confirm = async () => {
    setError(null);
    try {
      await sendPoints({ phone, points: amount, requestId: requestId.current });
      requestId.current = crypto.randomUUID();
      setSent(true);
      setRecipient(null);
      setPhone('');
      setPoints('');
      await onChange();
    } catch (failure) {
      setError((failure as Error).message);
    }
  };

  return (
    <section className="stack" aria-label={pt('transfer', language)}>
      <h2>{pt('transfer', language)}</h2>
      <p><small>{pt('limits', language)}: {pt('minPerTransfer', language)} {formatPoints(limits.minPoints, language)}
        {limits.maxPoints !== null && <> · {pt('maxPerTransfer', language)} {formatPoints(limits.maxPoints, language)}</>}
        {limits.maxPointsPerMonth !== null && <> · {formatPoints(limits.maxPointsPerMonth, language)} {pt('maxPerMonth', language)}</>}</small></p>
      {recipient === null ? (
        <form className="stack" onSubmit={(event) => void next(event)}>
          <label>{pt('recipientPhone', language)}<input name="phone" type="tel" inputMode="tel" required value={phone} onChange={(event) => setPhone(event.target.value)} /></label>
          <label>{pt('pointsToSend', language)}<input name="points" inputMode="numeric" pattern="\d+" required value={points} onChange={(event) => setPoints(event.target.value)} /></label>
          <button type="submit" disabled={!(amount > 0) || amount > card.balance.availablePoints}>{pt('next', language)}</button>
        </form>
      ) : (
        <div className="stack confirm" role="group" aria-label={pt('confirmTransfer', language)}>
          <p>{pt('sendTo', language)} <strong>{recipient.name ?? recipient.phoneDisplay}</strong> ({recipient.phoneDisplay}): <strong>{formatPoints(amount, language)} {pt('points', language)}</strong></p>
          <button type="button" onClick={() => void confirm()}>{pt('confirmTransfer', language)}</button>
          <button type="button" className="secondary" onClick={() => setRecipient(null)}>{pt('cancel', language)}</button>
        </div>
      )}
      {error && <p role="alert" className="error">{error}</p>}
      {sent && <p role="status">{pt('sent', language)}</p>}
    </section>
  );
}
