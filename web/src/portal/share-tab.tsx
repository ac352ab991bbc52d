import { useEffect, useState, type FormEvent } from 'react';
import { formatDate, type Language } from '../i18n';
import { loadShared, shareContent, uploadMedia, withdrawConsent, type MemberCard, type SharedItem } from './api';
import { pt, ptOr } from './texts';

const kinds = ['photo', 'video', 'review'] as const;

/** A photo, video or review for the shop: uploaded, then moderated before anyone sees it. */
export function ShareTab({ card, language }: { card: MemberCard; language: Language }) {
  const [kind, setKind] = useState<(typeof kinds)[number]>('photo');
  const [file, setFile] = useState<File | null>(null);
  const [rating, setRating] = useState('5');
  const [text, setText] = useState('');
  const [consent, setConsent] = useState(true);
  const [items, setItems] = useState<SharedItem[]>([]);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const reload = async () => setItems((await loadShared()).items);
  useEffect(() => { void reload(); }, []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setMessage(null);
    try {
      const uploadId = kind === 'review' ? undefined : (await uploadMedia(file as File)).uploadId;
      await shareContent({ kind, ...(uploadId ? { uploadId } : {}), ...(kind === 'review' ? { rating: Number(rating) } : {}), ...(text ? { text } : {}), consent });
      setMessage({ ok: true, text: pt('submitted', language) });
      setText('');
      setFile(null);
      await reload();
    } catch (failure) {
      setMessage({ ok: false, text: (failure as Error).message });
    } finally {
      setBusy(false);
    }
  };

  // The member takes back their consent: the shop's website stops showing it at once.
  const withdraw = async (item: SharedItem) => {
    try {
      await withdrawConsent(item.id);
      await reload();
    } catch (failure) {
      setMessage({ ok: false, text: (failure as Error).message });
    }
  };

  return (
    <section className="stack" aria-label={pt('share', language)}>
      <h2>{pt('share', language)}</h2>
      <form className="stack" onSubmit={(event) => void submit(event)}>
        <label>{pt('kind', language)}
          <select value={kind} onChange={(event) => setKind(event.target.value as (typeof kinds)[number])}>
            {kinds.map((option) => <option key={option} value={option}>{pt(`kind_${option}`, language)}</option>)}
          </select>
        </label>
        {kind !== 'review' && <label>{pt('file', language)}<input type="file" accept={kind === 'photo' ? 'image/jpeg,image/png,image/webp' : 'video/mp4,video/quicktime,video/webm'} required onChange={(event) => setFile(event.target.files?.[0] ?? null)} /></label>}
        {kind === 'review' && <label>{pt('rating', language)}<input type="number" min={1} max={5} required value={rating} onChange={(event) => setRating(event.target.value)} /></label>}
        <label>{pt('yourWords', language)}<textarea maxLength={2000} value={text} onChange={(event) => setText(event.target.value)} /></label>
        <label className="check"><input type="checkbox" checked={consent} onChange={(event) => setConsent(event.target.checked)} />{pt('publicConsent', language)}</label>
        <button type="submit" disabled={busy || (kind !== 'review' && !file)}>{pt('submit', language)}</button>
      </form>
      {message && <p role={message.ok ? 'status' : 'alert'} className={message.ok ? '' : 'error'}>{message.text}</p>}
      <ul className="history">
        {items.map((item) => (
          <li key={item.id}>
            <span>{ptOr(`kind_${item.kind}`, item.kind, language)} · {formatDate(item.submittedAt, language, card.merchant.timeZone)}{item.text && <><br /><small>{item.text}</small></>}</span>
            <span className="actions">
              {ptOr(`status_${item.status}`, item.status, language)}
              {item.consent && <button type="button" className="secondary" onClick={() => void withdraw(item)}>{pt('withdrawConsent', language)}</button>}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
