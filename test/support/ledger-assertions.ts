import { expect } from 'vitest';
import { checkLedger } from '../../src/services/points/check-ledger';
import type { ServiceContext } from '../../src/services/context';

/** Fails with the list of violations when any ledger invariant is broken for the merchant. */
export async function expectLedgerConsistent(ctx: ServiceContext, merchantId: string, note = ''): Promise<void> {
  const [report] = await checkLedger(ctx, merchantId);
  expect(report?.violations ?? [], `ledger invariants ${note}`).toEqual([]);
}
