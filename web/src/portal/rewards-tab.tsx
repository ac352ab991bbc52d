import { useCallback, useEffect, useRef, useState } from 'react';
import { formatDate, formatPoints, type Language } from '../i18n';
import { counterCodeFor, loadCoupons, loadRewards, redeem, type Coupon, type MemberCard, type Reward } from './api';
import { pt, ptOr } from './texts';

/** The catalogue, redemption with a confirmation, and the member's coupons with their counter codes. */
export function RewardsTab({ card, language, onChange }: { card: MemberCard; language: Language; onChange: () => Promise<void> }) {
  const [rewards, setRewards] = useState<Reward[]>([]);
  const [coupons, setCoupons] = useState<Coupon[]>([]);
  const [confirming, setConfirming] = useState<Reward | null>(null);
  const [counterCodes, setCounterCodes] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  // One id per redemption attempt: a double tap or a retry redeems once.
  const requestId = useRef(crypto.randomUUID());
  const reload = useCallback(async () => {
    const [catalogue, mine] = await Promise.all([loadRewards(), loadCoupons()]);
    setRewards(catalogue.rewards);
    setCoupons(mine.coupons);
  }, []);
  useEffect(() => { void reload(); }, [reload]);

  const confirm = async (reward: Reward) => {
    setMessage(null);
    try {
      await redeem(reward.id, requestId.current);
      requestId.current = crypto.randomUUID();
      setConfirming(null);
      await Promise.all([reload(), onChange()]);
    } catch (failure) {
      setMessage((failure as Error).message);
    }
  };
  const showCode = async (coupon: Coupon) => {
    try {
      const { counterCode } = await counterCodeFor(coupon.code);
      setCounterCodes((codes) => ({ ...codes, [coupon.code]: counterCode }));
    } catch (failure) {
      setMessage((failure as Error).message);
    }
  };
  const name = (reward: Reward) => (language === 'th' ? reward.nameTh : reward.nameEn);
  const rewardName = (rewardId: string) => { const reward = rewards.find((candidate) => candidate.id === rewardId); return reward ? name(reward) : rewardId; };

  return (
    <div className="stack">
      {message && <p role="alert" className="error">{message}</p>}
      <section aria-label={pt('rewards', language)}>
        <h2>{pt('rewards', language)}</h2>
        <ul className="rewards">
          {rewards.map((reward) => (
            <li key={reward.id}>
              <div>
                <strong>{name(reward)}</strong>
                <p><small>{language === 'th' ? reward.descriptionTh : reward.descriptionEn}</small></p>
              </div>
              {confirming?.id === reward.id ? (
                <span className="actions">
                  <button type="button" onClick={() => void confirm(reward)}>{pt('confirmRedeem', language)}</button>
                  <button type="button" className="secondary" onClick={() => setConfirming(null)}>{pt('cancel', language)}</button>
                </span>
              ) : (
                <button type="button" disabled={card.balance.availablePoints < reward.costPoints} onClick={() => setConfirming(reward)}
                  aria-label={`${pt('redeemFor', language)} ${formatPoints(reward.costPoints, language)} ${pt('points', language)}: ${name(reward)}`}>
                  {pt('redeemFor', language)} {formatPoints(reward.costPoints, language)} {pt('points', language)}
                </button>
              )}
            </li>
          ))}
        </ul>
      </section>
      <section aria-label={pt('myCoupons', language)}>
        <h2>{pt('myCoupons', language)}</h2>
        {coupons.length === 0 ? <p>{pt('noCoupons', language)}</p> : (
          <ul className="rewards">
            {coupons.map((coupon) => (
              <li key={coupon.id}>
                <div>
                  <strong>{rewardName(coupon.rewardId)}</strong>
                  <p><small>{ptOr(`couponStatus_${coupon.status}`, coupon.status, language)} · {pt('validUntil', language)} {formatDate(coupon.expiresAt, language, card.merchant.timeZone)}</small></p>
                </div>
                {coupon.status === 'issued' && (counterCodes[coupon.code]
                  ? <p className="counter-code" role="status"><span data-testid="counter-code">{counterCodes[coupon.code]}</span><small>{pt('counterCodeHelp', language)}</small></p>
                  : <button type="button" onClick={() => void showCode(coupon)}>{pt('useAtCounter', language)}</button>)}
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
