import { DomainError } from '../../domain/errors';
import { displayPhone, normalizePhone } from '../../domain/members/normalize-contact';
import { findMemberBy } from '../../store/member-store';
import type { ServiceContext } from '../context';
import { transferPoints } from '../points/transfer-points';
import type { LedgerCommandResult } from '../points/ledger-pipeline';

/** "สมชาย ใ." — enough for the sender to recognise a friend, not enough to read a stranger's name. */
export function maskedName(name: string | null): string | null {
  if (!name) return null;
  const [first, ...rest] = name.trim().split(/\s+/);
  const initials = rest.map((word) => `${[...word][0] ?? ''}.`).join(' ');
  return initials ? `${first} ${initials}` : (first ?? null);
}

async function recipientOf(ctx: ServiceContext, merchantId: string, fromMemberId: string, phone: string) {
  const recipient = await findMemberBy(ctx.store.db, merchantId, 'phone_e164', normalizePhone(phone));
  if (!recipient) throw new DomainError('member_not_found', 'No member of this shop has this phone number');
  if (recipient.id === fromMemberId) throw new DomainError('invalid_request', 'You cannot send points to yourself');
  return recipient;
}

/** Who a phone number belongs to, masked, for the member to confirm before sending. */
export async function findTransferRecipient(ctx: ServiceContext, merchantId: string, fromMemberId: string, phone: string): Promise<{ phone: string; phoneDisplay: string; name: string | null }> {
  const recipient = await recipientOf(ctx, merchantId, fromMemberId, phone);
  return { phone: recipient.phone_e164 as string, phoneDisplay: displayPhone(recipient.phone_e164 as string), name: maskedName(recipient.name) };
}

/**
 * A member sends points to another member by phone number: the ledger's transfer (the merchant's
 * limits, expiry dates kept), keyed by the portal's request id so a double tap sends once.
 */
export async function transferToPhone(ctx: ServiceContext, merchantId: string, fromMemberId: string,
  input: { phone: string; points: number; note?: string | undefined; requestId: string }): Promise<LedgerCommandResult> {
  const recipient = await recipientOf(ctx, merchantId, fromMemberId, input.phone);
  return transferPoints(ctx, merchantId, { fromMemberId, toMemberId: recipient.id, points: input.points, note: input.note }, `portal-transfer:${fromMemberId}:${input.requestId}`);
}
