import { useCallback, useRef, useState, type FormEvent } from 'react';
import { recordSale, redeemCounterCode, type SaleResult } from './api';
import { formatBaht, t, type Language } from './i18n';
import { QrScanner } from './qr-scanner';

const memberCardPrefix = 'SENTANG-MEMBER:';

/**
 * The counter, for a tablet: phone number, amount, confirm — three taps — and the points the rules
 * give appear. Instead of the phone number the cashier may scan the QR code on the member's card.
 * A 6-digit code from the member's phone uses their coupon.
 */
export function Cashier({ language }: { language: Language }) {
  const [phone, setPhone] = useState('');
  const [memberCard, setMemberCard] = useState<string | null>(null);
  const [scanning, setScanning] = useState(false);
  const [amount, setAmount] = useState('');
  const [result, setResult] = useState<SaleResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [counterCode, setCounterCode] = useState('');
  const [couponMessage, setCouponMessage] = useState<string | null>(null);
  // One id per sale on the till: pressing confirm twice (or a retry) cannot give points twice.
  const saleId = useRef(crypto.randomUUID());
  const amountSatang = Math.round(Number(amount.replace(/,/g, '')) * 100);

  const confirm = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      setResult(await recordSale(memberCard ? { memberCard } : { phone }, amountSatang, saleId.current));
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const nextSale = () => {
    saleId.current = crypto.randomUUID();
    setPhone('');
    setMemberCard(null);
    setAmount('');
    setResult(null);
  };
  const scanned = useCallback((text: string) => {
    setScanning(false);
    if (text.startsWith(memberCardPrefix)) {
      setMemberCard(text);
      setError(null);
    } else {
      setError(t('notACard', language));
    }
  }, [language]);
  const closeScanner = useCallback(() => setScanning(false), []);
  const useCoupon = async (event: FormEvent) => {
    event.preventDefault();
    try {
      const coupon = await redeemCounterCode(counterCode);
      setCouponMessage(`${t('couponUsed', language)}: ${coupon.code}`);
      setCounterCode('');
    } catch (failure) {
      setCouponMessage((failure as Error).message);
    }
  };

  return (
    <div className="cashier">
      <form className="card" onSubmit={(event) => void confirm(event)} aria-label={t('cashier', language)}>
        <h1>{t('cashier', language)}</h1>
        {!memberCard && result === null && <button type="button" className="scan" onClick={() => setScanning(true)}>{t('scanCard', language)}</button>}
        {memberCard
          ? <p role="status" className="scanned">{t('cardScanned', language)} <button type="button" onClick={() => setMemberCard(null)} disabled={result !== null}>{t('usePhone', language)}</button></p>
          : <label>{t('phone', language)}<input name="phone" type="tel" inputMode="tel" autoFocus required value={phone} disabled={result !== null} onChange={(event) => setPhone(event.target.value)} /></label>}
        {scanning && <QrScanner language={language} onCode={scanned} onClose={closeScanner} />}
        <label>{t('amount', language)}<input name="amount" type="text" inputMode="decimal" required value={amount} disabled={result !== null} onChange={(event) => setAmount(event.target.value)} /></label>
        {amountSatang > 0 && <p className="amount">{formatBaht(amountSatang, language)}</p>}
        {error && <p role="alert" className="error">{error}</p>}
        {result === null
          ? <button type="submit" disabled={busy || !(amountSatang > 0)}>{t('confirm', language)}</button>
          : (
            <div className="result" role="status">
              {result.newMember && <p>{t('newMember', language)}</p>}
              <p className="points">+{result.pointsAwarded} {t('points', language)}</p>
              <p>{t('balance', language)}: <span data-testid="balance">{result.balance.availablePoints}</span> {t('points', language)}</p>
              <button type="button" onClick={nextSale}>{t('nextSale', language)}</button>
            </div>
          )}
      </form>
      <form className="card" onSubmit={(event) => void useCoupon(event)} aria-label={t('counterCode', language)}>
        <label>{t('counterCode', language)}<input name="counterCode" inputMode="numeric" pattern="\d{6}" maxLength={6} value={counterCode} onChange={(event) => setCounterCode(event.target.value)} /></label>
        <button type="submit" disabled={counterCode.length !== 6}>{t('redeem', language)}</button>
        {couponMessage && <p role="status">{couponMessage}</p>}
      </form>
    </div>
  );
}
