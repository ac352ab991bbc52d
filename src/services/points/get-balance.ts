import { DomainError } from '../../domain/errors';
import { LedgerBook } from '../../domain/ledger/ledger-book';
import { startOfMonthMs } from '../../domain/ledger/expiry-policy';
import { ledgerSettingsFromRow } from '../../domain/merchants/merchant-settings';
import { loadMemberLedgers } from '../../store/ledger-store';
import { findMemberById } from '../../store/member-store';
import { findMerchantById } from '../../store/merchant-store';
import type { ServiceContext } from '../context';
import { memberBalanceView, type BalanceView } from './points-views';

/** A member's available, pending and reserved points and what expires within 30 days, as of now. */
export async function getBalance(ctx: ServiceContext, merchantId: string, memberId: string): Promise<BalanceView> {
  const db = ctx.store.db;
  const [merchant, member] = await Promise.all([findMerchantById(db, merchantId), findMemberById(db, merchantId, memberId)]);
  if (!merchant || !member) throw new DomainError('member_not_found', `No member ${memberId}`, { memberId });
  const settings = ledgerSettingsFromRow(merchant);
  const nowMs = ctx.nowMs();
  const [ledger] = await loadMemberLedgers(db, merchantId, [memberId], { monthStartMs: startOfMonthMs(nowMs, settings.timeZone), transferSenderIds: [] });
  if (!ledger) throw new DomainError('member_not_found', `No member ${memberId}`, { memberId });
  // Release timed-out holds in memory only, so the answer is right before the sweeper has run.
  const book = new LedgerBook(settings);
  book.addMember(ledger);
  book.settleExpiredReservations(ledger, { nowMs, newId: ctx.newId });
  return memberBalanceView(ledger, nowMs, settings.timeZone);
}
