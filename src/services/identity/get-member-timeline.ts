import { DomainError } from '../../domain/errors';
import { findTransactions, listMemberTransactionIds } from '../../store/ledger-store';
import { listEventsOfPeople } from '../../store/event-store';
import { findMergedPersonIds, findPersonOfMember } from '../../store/identity-store';
import { findMemberById } from '../../store/member-store';
import type { ServiceContext } from '../context';
import { walletChangeFor } from '../points/points-views';

export type TimelineItem =
  | { kind: 'event'; at: string; eventId: string; type: string; event: string | null; properties: Record<string, unknown> | null }
  | { kind: 'points'; at: string; transactionId: string; transactionKind: string; walletChange: number; reason: string | null };

/**
 * What a member did and what happened to their points, in time order: their events (including
 * those sent while anonymous, before they were identified) and their ledger transactions.
 */
export async function getMemberTimeline(ctx: ServiceContext, merchantId: string, memberId: string, limit = 200): Promise<{ memberId: string; personId: string | null; items: TimelineItem[] }> {
  const db = ctx.store.db;
  if (!(await findMemberById(db, merchantId, memberId))) throw new DomainError('member_not_found', `No member ${memberId}`, { memberId });
  const person = await findPersonOfMember(db, merchantId, memberId);
  const personIds = person ? await findMergedPersonIds(db, merchantId, person.id) : [];
  const [events, transactionIds] = await Promise.all([
    listEventsOfPeople(db, merchantId, personIds, limit),
    listMemberTransactionIds(db, merchantId, memberId, limit, null),
  ]);
  const transactions = await findTransactions(db, merchantId, transactionIds);
  const items: (TimelineItem & { atMs: number })[] = [
    ...events.map((row) => ({
      kind: 'event' as const, atMs: row.timestamp_ms, at: new Date(row.timestamp_ms).toISOString(), eventId: row.id, type: row.type,
      event: row.event_name, properties: row.properties_json ? (JSON.parse(row.properties_json) as Record<string, unknown>) : null,
    })),
    ...transactions.map((transaction) => ({
      kind: 'points' as const, atMs: transaction.createdAtMs, at: new Date(transaction.createdAtMs).toISOString(), transactionId: transaction.id,
      transactionKind: transaction.kind, walletChange: walletChangeFor(transaction, memberId), reason: transaction.reason,
    })),
  ];
  items.sort((a, b) => a.atMs - b.atMs);
  return { memberId, personId: person?.id ?? null, items: items.slice(-limit).map(({ atMs: _atMs, ...item }) => item as TimelineItem) };
}
