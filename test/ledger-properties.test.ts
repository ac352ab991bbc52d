// The same random command sequences as the pure property test, but through the services and the
// store (group commit, row locks, SQL), on SQLite and PostgreSQL, with the clock jumping about.
// Every invariant is checked in the database after every step.
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { isDomainError } from '../src/domain/errors';
import { createMember } from '../src/services/members/create-member';
import { updateMerchantSettings } from '../src/services/merchants/update-merchant-settings';
import { expirePoints } from '../src/services/points/expire-points';
import { getBalance } from '../src/services/points/get-balance';
import { checkLedger } from '../src/services/points/check-ledger';
import { memberCount, stepArbitrary, toCommand } from './support/ledger-commands';
import { describeEachStore } from './support/stores';

describeEachStore('ledger invariants over random command sequences (store)', (env) => {
  it('hold after every step', async () => {
    const { ctx, clock } = env();
    await fc.assert(fc.asyncProperty(fc.array(stepArbitrary, { minLength: 1, maxLength: 25 }), fc.constantFrom('refuse', 'allow_negative' as const), async (steps, reversalPolicy) => {
      const merchant = await env().newMerchant();
      await updateMerchantSettings(ctx, merchant.merchantId, { reversalPolicy: reversalPolicy as 'refuse' | 'allow_negative' });
      const members: string[] = [];
      for (let i = 0; i < memberCount; i += 1) members.push((await createMember(ctx, merchant.merchantId, {})).id);
      clock.set('2026-03-01T00:00:00Z');
      const earns: string[] = [];
      const reservations: string[] = [];
      for (const [index, step] of steps.entries()) {
        if (step.op === 'advance') clock.advance(step.seconds * 1000);
        if (step.op === 'expire') await expirePoints(ctx, { merchantId: merchant.merchantId });
        const command = toCommand(step, members, earns, reservations, clock.nowMs());
        if (command && command.type !== 'expire') {
          try {
            const result = await ctx.ledger.submit({ merchantId: merchant.merchantId, command, operation: command.type, requestBody: command, successStatus: 201 });
            if (command.type === 'earn' && result.body.transaction) earns.push(result.body.transaction.id);
            if (command.type === 'reserve' && result.body.reservation) reservations.push(result.body.reservation.id);
          } catch (error) {
            if (!isDomainError(error)) throw error;
          }
        }
        const [report] = await checkLedger(ctx, merchant.merchantId);
        expect(report?.violations, `after step ${index} ${JSON.stringify(step)}`).toEqual([]);
        if (reversalPolicy === 'refuse') {
          for (const memberId of members) expect((await getBalance(ctx, merchant.merchantId, memberId)).availablePoints).toBeGreaterThanOrEqual(0);
        }
      }
      clock.set(Date.now());
      return true;
    }), { numRuns: 25 });
  });
});

