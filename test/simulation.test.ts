// A seeded simulation of unreliable clients and a store that fails inside transactions:
// duplicate deliveries of one request at once, retries with the same key after a lost answer or
// after a failure, and faults thrown inside the transaction before it writes. After every round,
// every ledger invariant holds and each member's balance equals a model built only from the
// commands that were acknowledged, each counted once. A failing run prints its seed:
// SIM_SEED=<seed> npx vitest run test/simulation.test.ts reproduces it.
import { expect, it } from 'vitest';
import { isDomainError } from '../src/domain/errors';
import type { LedgerCommand } from '../src/domain/ledger/types';
import { createMember } from '../src/services/members/create-member';
import { getBalance } from '../src/services/points/get-balance';
import { checkLedger } from '../src/services/points/check-ledger';
import { seededRandom } from './support/seeded-random';
import { describeEachStore } from './support/stores';

const seed = Number(process.env.SIM_SEED ?? Math.floor(Math.random() * 2 ** 31));
const random = seededRandom(seed);
let faultRate = 0;

describeEachStore('seeded simulation', (env) => {
  it(`keeps every acknowledged command exactly once (seed ${seed})`, async () => {
    const { ctx } = env();
    const merchant = await env().newMerchant();
    const members: string[] = [];
    for (let i = 0; i < 5; i += 1) members.push((await createMember(ctx, merchant.merchantId, {})).id);
    const model = new Map(members.map((id) => [id, 0]));
    const acknowledged = new Map<string, string>(); // idempotency key → transaction id
    const pick = () => members[Math.floor(random() * members.length)] as string;
    let keyCounter = 0;
    let faultsSeen = 0;

    const send = async (key: string, command: LedgerCommand) => {
      try {
        const result = await ctx.ledger.submit({ merchantId: merchant.merchantId, command, idempotencyKey: key, operation: command.type, requestBody: command, successStatus: 201 });
        return { ok: true as const, transactionId: result.body.transaction?.id ?? '' };
      } catch (error) {
        if (isDomainError(error)) return { ok: false as const, code: error.code };
        faultsSeen += 1;
        return { ok: false as const, code: 'fault' };
      }
    };

    for (let round = 0; round < 40; round += 1) {
      faultRate = random() < 0.5 ? 0.3 : 0;
      const commands = Array.from({ length: 1 + Math.floor(random() * 12) }, () => {
        const roll = random();
        const points = 1 + Math.floor(random() * 60);
        const command: LedgerCommand = roll < 0.45 ? { type: 'earn', memberId: pick(), points, reason: 'sim' }
          : roll < 0.8 ? { type: 'spend', memberId: pick(), points, reason: 'sim' }
          : { type: 'transfer', fromMemberId: pick(), toMemberId: pick(), points };
        return { key: `sim-${seed}-${keyCounter++}`, command };
      });
      // Deliver each at once, some twice concurrently (a duplicate delivery).
      const deliveries = commands.flatMap((c) => (random() < 0.3 ? [c, c] : [c]));
      const results = await Promise.all(deliveries.map((c) => send(c.key, c.command).then((result) => ({ ...c, result }))));
      // Clients retry what failed with a fault, and some retry successes whose answer they "lost".
      faultRate = 0;
      const settled = new Map<string, { command: LedgerCommand; transactionId: string | null }>();
      for (const { key, command, result } of results) {
        if (result.ok) {
          const first = settled.get(key)?.transactionId;
          if (first) expect(result.transactionId, `duplicate delivery answered differently (seed ${seed})`).toBe(first);
          settled.set(key, { command, transactionId: result.transactionId });
        } else if (!settled.has(key)) {
          settled.set(key, { command, transactionId: null });
        }
      }
      for (const [key, entry] of settled) {
        const retried = entry.transactionId === null || random() < 0.2 ? await send(key, entry.command) : null;
        if (retried?.ok) {
          if (entry.transactionId) expect(retried.transactionId, `a replay returned another transaction (seed ${seed})`).toBe(entry.transactionId);
          entry.transactionId = retried.transactionId;
        }
        if (entry.transactionId && !acknowledged.has(key)) {
          acknowledged.set(key, entry.transactionId);
          const c = entry.command;
          if (c.type === 'earn') model.set(c.memberId, (model.get(c.memberId) ?? 0) + c.points);
          if (c.type === 'spend') model.set(c.memberId, (model.get(c.memberId) ?? 0) - c.points);
          if (c.type === 'transfer') {
            model.set(c.fromMemberId, (model.get(c.fromMemberId) ?? 0) - c.points);
            model.set(c.toMemberId, (model.get(c.toMemberId) ?? 0) + c.points);
          }
        }
      }
      const [report] = await checkLedger(ctx, merchant.merchantId);
      expect(report?.violations, `round ${round} (seed ${seed})`).toEqual([]);
      for (const memberId of members) {
        const balance = await getBalance(ctx, merchant.merchantId, memberId);
        expect(balance.availablePoints, `member ${memberId} after round ${round} (seed ${seed})`).toBe(model.get(memberId));
      }
    }
    expect(acknowledged.size).toBeGreaterThan(0);
    // The faults really fired, so the retry paths ran.
    expect(faultsSeen, `seed ${seed}`).toBeGreaterThan(0);
  });
}, {
  faults: {
    beforeWrite() {
      if (faultRate > 0 && random() < faultRate) throw new Error('injected fault inside the transaction');
    },
  },
});
