// The points routes send the ledger's JSON as it is (no response serializer in between), so every
// command's body must be exactly what commandResultSchema describes: the same fields, in its order,
// nothing more. Each command kind is run here and its bytes compared with the schema's own output.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BalanceSummary } from '../src/domain/ledger/summarize-balance';
import type { Account, LedgerTransaction, Reservation } from '../src/domain/ledger/types';
import { commandResultSchema } from '../src/http/schemas';
import { createMember } from '../src/services/members/create-member';
import { adjustPoints } from '../src/services/points/adjust-points';
import { commitReservation } from '../src/services/points/commit-reservation';
import { createReservation } from '../src/services/points/create-reservation';
import { earnPoints } from '../src/services/points/earn-points';
import type { LedgerCommandResult } from '../src/services/points/ledger-pipeline';
import { balanceView, commandBodyJson, reservationView, transactionView } from '../src/services/points/points-views';
import { reverseTransaction } from '../src/services/points/reverse-transaction';
import { spendPoints } from '../src/services/points/spend-points';
import { transferPoints } from '../src/services/points/transfer-points';
import { voidReservation } from '../src/services/points/void-reservation';
import { describeEachStore } from './support/stores';

function expectSchemaExact(result: LedgerCommandResult): void {
  expect(JSON.stringify(commandResultSchema.parse(JSON.parse(result.bodyJson)))).toBe(result.bodyJson);
  expect(result.body).toEqual(JSON.parse(result.bodyJson));
}

describeEachStore('ledger command bodies', (env) => {
  it('are exactly the response schema for every command, replays included', async () => {
    const { ctx, clock } = env();
    const m = await env().newMerchant();
    clock.set('2026-06-01T03:00:00Z');
    const ann = (await createMember(ctx, m.merchantId, {})).id;
    const bob = (await createMember(ctx, m.merchantId, {})).id;
    // An expiry within 30 days fills the balance's `expiring` list; a later start makes points pending.
    const earned = await earnPoints(ctx, m.merchantId, { memberId: ann, points: 100, reason: 'order', expiresAtMs: Date.parse('2026-06-20T00:00:00Z') }, 'views-earn');
    expect(earned.body.balance?.expiring).toHaveLength(1);
    const results: LedgerCommandResult[] = [
      earned,
      await earnPoints(ctx, m.merchantId, { memberId: ann, points: 100, reason: 'order', expiresAtMs: Date.parse('2026-06-20T00:00:00Z') }, 'views-earn'),
      await earnPoints(ctx, m.merchantId, { memberId: bob, points: 40, reason: 'later', availableAtMs: Date.parse('2026-07-01T00:00:00Z') }),
      await spendPoints(ctx, m.merchantId, { memberId: ann, points: 10, reason: 'coffee' }),
      await transferPoints(ctx, m.merchantId, { fromMemberId: ann, toMemberId: bob, points: 5, note: 'gift' }),
      await adjustPoints(ctx, m.merchantId, { memberId: bob, points: -1, reason: 'correction' }),
    ];
    const held = await createReservation(ctx, m.merchantId, { memberId: ann, points: 20 });
    const released = await createReservation(ctx, m.merchantId, { memberId: ann, points: 5, reason: 'basket' });
    results.push(held, released,
      await commitReservation(ctx, m.merchantId, held.body.reservation?.id as string),
      await voidReservation(ctx, m.merchantId, released.body.reservation?.id as string),
      await reverseTransaction(ctx, m.merchantId, { transactionId: earned.body.transaction?.id as string, points: 10, reason: 'refund' }));
    expect(results[1]?.replayed).toBe(true);
    expect(results[1]?.bodyJson).toBe(earned.bodyJson);
    for (const result of results) expectSchemaExact(result);
  });
});

// The ledger writes its answers field by field (commandBodyJson): the text must be exactly what
// JSON.stringify makes of the same views, whatever characters the texts hold.
describe('commandBodyJson', () => {
  const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 30 }), fc.stringMatching(/^[a-z]{3}_[0-9a-z]{26}$/));
  const maybeText = fc.option(text, { nil: null });
  const pointsValue = fc.integer({ min: -1_000_000_000, max: 1_000_000_000 });
  const instant = fc.integer({ min: 0, max: 4_102_444_800_000 });
  const transaction: fc.Arbitrary<LedgerTransaction> = fc.record({
    id: text, kind: fc.constantFrom('earn', 'spend', 'transfer_out', 'adjust') as fc.Arbitrary<LedgerTransaction['kind']>, memberId: text,
    counterpartyMemberId: maybeText, points: pointsValue, reason: maybeText, idempotencyKey: maybeText,
    reversesTransactionId: maybeText, reservationId: maybeText, createdAtMs: instant,
    entries: fc.array(fc.record({ account: fc.constantFrom('member_wallet', 'merchant_issuance') as fc.Arbitrary<Account>, memberId: maybeText, lotId: maybeText, points: pointsValue }), { maxLength: 5 }),
  });
  const reservation: fc.Arbitrary<Reservation> = fc.record({
    id: text, memberId: text, points: pointsValue, status: fc.constantFrom('held', 'committed', 'voided', 'expired') as fc.Arbitrary<Reservation['status']>,
    reason: maybeText, expiresAtMs: instant, createdAtMs: instant, resolvedAtMs: fc.option(instant, { nil: null }), lots: fc.constant([]),
  });
  const balance: fc.Arbitrary<BalanceSummary> = fc.record({
    availablePoints: pointsValue, pendingPoints: pointsValue, reservedPoints: pointsValue, expiringPoints: pointsValue,
    expiring: fc.array(fc.record({ expiresAtMs: instant, expiresOnDate: text, points: pointsValue }), { maxLength: 4 }),
  });

  it('is the text JSON.stringify makes of the views', () => {
    fc.assert(fc.property(fc.option(transaction, { nil: null }), fc.option(reservation, { nil: null }), fc.option(balance, { nil: null }), (t, r, b) => {
      const body = { transaction: t && transactionView(t), reservation: r && reservationView(r), balance: b && balanceView(b) };
      expect(commandBodyJson(body)).toBe(JSON.stringify(body));
    }), { numRuns: 500 });
  });
});
