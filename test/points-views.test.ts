// The points routes send the ledger's JSON as it is (no response serializer in between), so every
// command's body must be exactly what commandResultSchema describes: the same fields, in its order,
// nothing more. Each command kind is run here and its bytes compared with the schema's own output.
import { expect, it } from 'vitest';
import { commandResultSchema } from '../src/http/schemas';
import { createMember } from '../src/services/members/create-member';
import { adjustPoints } from '../src/services/points/adjust-points';
import { commitReservation } from '../src/services/points/commit-reservation';
import { createReservation } from '../src/services/points/create-reservation';
import { earnPoints } from '../src/services/points/earn-points';
import type { LedgerCommandResult } from '../src/services/points/ledger-pipeline';
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
