import { checkLedgerInvariants, type InvariantViolation } from '../../domain/ledger/check-invariants';
import { loadInvariantInput } from '../../store/ledger-store';
import { listMerchants } from '../../store/merchant-store';
import type { ServiceContext } from '../context';

export interface LedgerCheckReport {
  merchantId: string;
  transactionsChecked: number;
  lotsChecked: number;
  violations: InvariantViolation[];
}

/**
 * Verifies every ledger invariant: each transaction balances, all entries sum to zero, each lot
 * equals the wallet entries that name it (so a balance equals its lots), holds equal open reservations.
 */
export async function checkLedger(ctx: ServiceContext, merchantId?: string): Promise<LedgerCheckReport[]> {
  const merchantIds = merchantId ? [merchantId] : (await listMerchants(ctx.store.db)).map((merchant) => merchant.id);
  const reports: LedgerCheckReport[] = [];
  for (const id of merchantIds) {
    const { transactionCount, ...input } = await loadInvariantInput(ctx.store.db, id);
    reports.push({ merchantId: id, transactionsChecked: transactionCount, lotsChecked: input.lots.length, violations: checkLedgerInvariants(input) });
  }
  return reports;
}
