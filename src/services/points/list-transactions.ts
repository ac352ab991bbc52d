import { DomainError } from '../../domain/errors';
import { findTransactions, listMemberTransactionIds } from '../../store/ledger-store';
import { findMemberById } from '../../store/member-store';
import type { ServiceContext } from '../context';
import { transactionView, walletChangeFor, type TransactionView } from './points-views';

export async function getTransaction(ctx: ServiceContext, merchantId: string, transactionId: string): Promise<TransactionView> {
  const [transaction] = await findTransactions(ctx.store.db, merchantId, [transactionId]);
  if (!transaction) throw new DomainError('transaction_not_found', `No transaction ${transactionId}`);
  return transactionView(transaction);
}

/** A member's ledger history, newest first, with how each transaction changed their wallet. */
export async function listMemberTransactions(ctx: ServiceContext, merchantId: string, memberId: string, options: { limit: number; cursor?: string | undefined }) {
  if (!(await findMemberById(ctx.store.db, merchantId, memberId))) throw new DomainError('member_not_found', `No member ${memberId}`, { memberId });
  const ids = await listMemberTransactionIds(ctx.store.db, merchantId, memberId, options.limit + 1, options.cursor ?? null);
  const page = ids.slice(0, options.limit);
  const transactions = await findTransactions(ctx.store.db, merchantId, page);
  return {
    transactions: transactions.map((transaction) => ({ ...transactionView(transaction), walletChange: walletChangeFor(transaction, memberId) })),
    nextCursor: ids.length > options.limit ? page[page.length - 1] ?? null : null,
  };
}
