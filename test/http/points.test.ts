import { expect, it } from 'vitest';
import { CompiledQuery } from 'kysely';
import { expirePoints } from '../../src/services/points/expire-points';
import { dueLotMembersQuery } from '../../src/store/ledger-store';
import { expectLedgerConsistent } from '../support/ledger-assertions';
import { describeEachStore, type TestMerchant } from '../support/stores';

async function member(m: TestMerchant, body: Record<string, unknown> = {}): Promise<string> {
  const response = await m.request('POST', '/api/v1/members', body);
  expect(response.statusCode).toBe(201);
  return response.json.id;
}

async function earn(m: TestMerchant, memberId: string, points: number, extra: Record<string, unknown> = {}, key?: string) {
  return m.request('POST', '/api/v1/points/earn', { memberId, points, reason: 'test earn', ...extra }, key ? { 'idempotency-key': key } : {});
}

async function balance(m: TestMerchant, memberId: string) {
  const response = await m.request('GET', `/api/v1/members/${memberId}/balance`);
  expect(response.statusCode).toBe(200);
  return response.json;
}

describeEachStore('points ledger over HTTP', (env) => {
  it('earns, spends earliest expiry first and reports the balance', async () => {
    const m = await env().newMerchant();
    const id = await member(m);
    const late = await earn(m, id, 100, { expiresAt: '2099-01-01T00:00:00Z' });
    expect(late.statusCode).toBe(201);
    expect(late.json.transaction.kind).toBe('earn');
    expect(late.json.balance.availablePoints).toBe(100);
    await earn(m, id, 50, { expiresAt: '2098-01-01T00:00:00Z' });
    const spend = await m.request('POST', '/api/v1/points/spend', { memberId: id, points: 60, reason: 'latte' });
    expect(spend.statusCode).toBe(201);
    expect(spend.json.balance.availablePoints).toBe(90);
    // The 2098 lot (50) goes first, then 10 from the 2099 lot.
    const walletEntries = spend.json.transaction.entries.filter((e: any) => e.account === 'member_wallet');
    expect(walletEntries.map((e: any) => e.points)).toEqual([-50, -10]);
    await expectLedgerConsistent(env().ctx, m.merchantId);
  });

  it('refuses a spend the balance does not cover and writes nothing', async () => {
    const m = await env().newMerchant();
    const id = await member(m);
    await earn(m, id, 30);
    const response = await m.request('POST', '/api/v1/points/spend', { memberId: id, points: 31, reason: 'too much' });
    expect(response.statusCode).toBe(422);
    expect(response.json.error.code).toBe('insufficient_points');
    expect(response.json.error.details).toMatchObject({ availablePoints: 30, requestedPoints: 31 });
    const history = await m.request('GET', `/api/v1/members/${id}/transactions`);
    expect(history.json.transactions).toHaveLength(1);
    expect((await balance(m, id)).availablePoints).toBe(30);
  });

  it('replays a command with the same Idempotency-Key and refuses the key for a different body', async () => {
    const m = await env().newMerchant();
    const id = await member(m);
    const first = await earn(m, id, 40, {}, 'order-1001');
    const again = await earn(m, id, 40, {}, 'order-1001');
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect(again.json.transaction.id).toBe(first.json.transaction.id);
    expect((await balance(m, id)).availablePoints).toBe(40);
    const different = await earn(m, id, 41, {}, 'order-1001');
    expect(different.statusCode).toBe(409);
    expect(different.json.error.code).toBe('idempotency_key_reused');
    const otherOperation = await m.request('POST', '/api/v1/points/spend', { memberId: id, points: 40, reason: 'test earn' }, { 'idempotency-key': 'order-1001' });
    expect(otherOperation.json.error.code).toBe('idempotency_key_reused');
    expect((await balance(m, id)).availablePoints).toBe(40);
  });

  it('keeps future points pending until they are available', async () => {
    const m = await env().newMerchant();
    const id = await member(m);
    env().clock.set('2026-06-01T00:00:00Z');
    await earn(m, id, 70, { availableAt: '2026-06-08T00:00:00Z' });
    let b = await balance(m, id);
    expect(b).toMatchObject({ availablePoints: 0, pendingPoints: 70 });
    const spend = await m.request('POST', '/api/v1/points/spend', { memberId: id, points: 1, reason: 'x' });
    expect(spend.json.error.code).toBe('insufficient_points');
    env().clock.set('2026-06-08T00:00:00Z');
    b = await balance(m, id);
    expect(b).toMatchObject({ availablePoints: 70, pendingPoints: 0 });
    env().clock.set(Date.now());
  });

  it('applies the end-of-year policy in the merchant time zone and never spends expired points', async () => {
    const m = await env().newMerchant();
    await m.request('PATCH', '/api/v1/merchant', { expiryPolicy: { kind: 'end_of_year' } });
    const id = await member(m);
    // 17:30 UTC on 31 December is 00:30 on 1 January in Bangkok: these points belong to 2027.
    env().clock.set('2026-12-31T17:30:00Z');
    const earned = await earn(m, id, 100);
    env().clock.set('2026-12-31T16:30:00Z');
    const earlier = await earn(m, id, 10);
    const lots = await m.request('GET', `/api/v1/members/${id}/balance`);
    expect(lots.statusCode).toBe(200);
    // 2027 points expire at 2028-01-01T00:00+07:00; the 2026 ones at 2027-01-01T00:00+07:00.
    env().clock.set('2027-12-20T00:00:00Z');
    const b = await balance(m, id);
    expect(b.expiring).toEqual([{ expiresAt: '2027-12-31T17:00:00.000Z', lastUsableDate: '2027-12-31', points: 100 }]);
    expect(b.availablePoints).toBe(100);
    void earned; void earlier;
    // After the instant of expiry the points are gone, before any sweep has run.
    env().clock.set('2027-12-31T17:00:00Z');
    expect((await balance(m, id)).availablePoints).toBe(0);
    const spend = await m.request('POST', '/api/v1/points/spend', { memberId: id, points: 1, reason: 'x' });
    expect(spend.json.error.code).toBe('insufficient_points');
    // The sweep books the expiry once, however often it runs.
    await expirePoints(env().ctx, { merchantId: m.merchantId });
    await expirePoints(env().ctx, { merchantId: m.merchantId });
    const history = await m.request('GET', `/api/v1/members/${id}/transactions`);
    const expiries = history.json.transactions.filter((t: any) => t.kind === 'expire');
    // One sweep books every lot due for the member in one transaction; the second finds nothing.
    expect(expiries.map((t: any) => t.walletChange)).toEqual([-110]);
    expect(expiries[0].entries.filter((e: any) => e.account === 'member_wallet')).toHaveLength(2);
    await expectLedgerConsistent(env().ctx, m.merchantId);
    env().clock.set(Date.now());
  });

  it('sweeps lots that have a date and leaves never-expiring ones, reading only the index of dated lots', async () => {
    const m = await env().newMerchant();
    const id = await member(m);
    env().clock.set('2030-01-01T00:00:00Z');
    expect((await earn(m, id, 40)).statusCode).toBe(201); // the default policy: never expires
    expect((await earn(m, id, 25, { expiresAt: '2030-02-01T00:00:00Z' })).statusCode).toBe(201);
    env().clock.set('2030-03-01T00:00:00Z');
    await expirePoints(env().ctx, { merchantId: m.merchantId });
    expect((await balance(m, id)).availablePoints).toBe(40);
    const history = await m.request('GET', `/api/v1/members/${id}/transactions`);
    expect(history.json.transactions.filter((t: any) => t.kind === 'expire').map((t: any) => t.walletChange)).toEqual([-25]);
    await expectLedgerConsistent(env().ctx, m.merchantId);
    env().clock.set(Date.now());

    // The sweep's conditions must imply the partial index's (open lots with a date), or the store
    // cannot use it and reads every open lot of the merchant, as it would through the other index
    // of open lots. So that the planner can tell the two apart, the merchant gets many lots that
    // never expire, as a real one has (in a transaction rolled back, with PostgreSQL's statistics
    // of them), and PostgreSQL is told to avoid a table scan, which it could pick for a small table.
    const db = env().store.db;
    const compiled = dueLotMembersQuery(db, m.merchantId, Date.now(), 500).compile();
    const fillers = db.insertInto('point_lots').values(Array.from({ length: 400 }, (_, index) => ({
      merchant_id: m.merchantId, id: `lot_filler_${index}`, member_id: id, source_transaction_id: 'txn_filler', points_original: 1,
      points_remaining: 1, is_open: 1, available_at_ms: 0, expires_at_ms: null, created_at_ms: 0,
    }))).compile();
    const plan = await db.connection().execute(async (connection) => {
      const postgres = env().kind === 'postgres';
      await connection.executeQuery(CompiledQuery.raw('begin'));
      try {
        await connection.executeQuery(fillers);
        if (postgres) await connection.executeQuery(CompiledQuery.raw('analyze point_lots'));
        if (postgres) await connection.executeQuery(CompiledQuery.raw('set local enable_seqscan = off'));
        const explain = postgres ? 'explain ' : 'explain query plan ';
        return JSON.stringify((await connection.executeQuery(CompiledQuery.raw(explain + compiled.sql, [...compiled.parameters]))).rows);
      } finally {
        await connection.executeQuery(CompiledQuery.raw('rollback'));
      }
    });
    expect(plan).toContain('point_lots_open_by_expiry');
  });

  it('applies the N-months policy', async () => {
    const m = await env().newMerchant();
    await m.request('PATCH', '/api/v1/merchant', { expiryPolicy: { kind: 'months_after_earn', months: 6 } });
    const id = await member(m);
    env().clock.set('2026-01-31T05:00:00Z');
    await earn(m, id, 5);
    env().clock.set('2026-07-20T00:00:00Z');
    expect((await balance(m, id)).expiring[0]).toMatchObject({ points: 5, lastUsableDate: '2026-07-31' });
    env().clock.set(Date.now());
  });

  it('transfers atomically, keeping the sender lots expiry dates, within the merchant limits', async () => {
    const m = await env().newMerchant();
    await m.request('PATCH', '/api/v1/merchant', { transferLimits: { minPoints: 10, maxPoints: 500, maxPointsPerMonth: 600 } });
    const a = await member(m);
    const b = await member(m);
    await earn(m, a, 1000, { expiresAt: '2099-03-01T00:00:00Z' });
    const ok = await m.request('POST', '/api/v1/points/transfer', { fromMemberId: a, toMemberId: b, points: 400, note: 'gift' });
    expect(ok.statusCode).toBe(201);
    expect(ok.json.transaction.counterpartyMemberId).toBe(b);
    const received = await balance(m, b);
    expect(received.availablePoints).toBe(400);
    env().clock.set('2099-02-15T00:00:00Z');
    expect((await balance(m, b)).expiring).toEqual([{ expiresAt: '2099-03-01T00:00:00.000Z', lastUsableDate: '2099-03-01', points: 400 }]);
    env().clock.set(Date.now());
    const tooSmall = await m.request('POST', '/api/v1/points/transfer', { fromMemberId: a, toMemberId: b, points: 5 });
    expect(tooSmall.json.error).toMatchObject({ code: 'transfer_limit_exceeded', details: { limit: 'min_points' } });
    const tooBig = await m.request('POST', '/api/v1/points/transfer', { fromMemberId: a, toMemberId: b, points: 501 });
    expect(tooBig.json.error.details.limit).toBe('max_points');
    const overMonth = await m.request('POST', '/api/v1/points/transfer', { fromMemberId: a, toMemberId: b, points: 300 });
    expect(overMonth.statusCode).toBe(422);
    expect(overMonth.json.error.details).toMatchObject({ limit: 'max_points_per_month', sentThisMonthPoints: 400 });
    const self = await m.request('POST', '/api/v1/points/transfer', { fromMemberId: a, toMemberId: a, points: 20 });
    expect(self.json.error.code).toBe('invalid_transfer');
    const unknown = await m.request('POST', '/api/v1/points/transfer', { fromMemberId: a, toMemberId: 'mbr_nobody', points: 20 });
    expect(unknown.statusCode).toBe(404);
    expect((await balance(m, a)).availablePoints).toBe(600);
    await expectLedgerConsistent(env().ctx, m.merchantId);
  });

  it('counts the monthly transfer limit by the merchant calendar month, whatever the clock says', async () => {
    // The month's transfers are found by transaction id (ids begin with their batch's time): a clock
    // decades ahead of the real one must count them all the same.
    const m = await env().newMerchant();
    await m.request('PATCH', '/api/v1/merchant', { transferLimits: { minPoints: 1, maxPoints: null, maxPointsPerMonth: 500 } });
    const a = await member(m);
    const b = await member(m);
    await earn(m, a, 2000);
    const transfer = (points: number) => m.request('POST', '/api/v1/points/transfer', { fromMemberId: a, toMemberId: b, points });
    try {
      env().clock.set('2099-01-31T16:30:00Z'); // 23:30 on 31 January in Bangkok
      expect((await transfer(400)).statusCode).toBe(201);
      env().clock.set('2099-01-31T17:30:00Z'); // 00:30 on 1 February in Bangkok: a new month
      expect((await transfer(450)).statusCode).toBe(201);
      const over = await transfer(100);
      expect(over.statusCode).toBe(422);
      expect(over.json.error.details).toMatchObject({ limit: 'max_points_per_month', sentThisMonthPoints: 450 });
      expect((await transfer(50)).statusCode).toBe(201);
      env().clock.set('2099-03-01T00:00:00Z');
      expect((await transfer(500)).statusCode).toBe(201);
    } finally {
      env().clock.set(Date.now());
    }
    await expectLedgerConsistent(env().ctx, m.merchantId);
  });

  it('adjusts with a reason, both ways', async () => {
    const m = await env().newMerchant();
    const id = await member(m);
    const up = await m.request('POST', '/api/v1/points/adjust', { memberId: id, points: 25, reason: 'goodwill' });
    expect(up.statusCode).toBe(201);
    const down = await m.request('POST', '/api/v1/points/adjust', { memberId: id, points: -5, reason: 'typo' });
    expect(down.json.balance.availablePoints).toBe(20);
    const noReason = await m.request('POST', '/api/v1/points/adjust', { memberId: id, points: 5 });
    expect(noReason.statusCode).toBe(400);
    const zero = await m.request('POST', '/api/v1/points/adjust', { memberId: id, points: 0, reason: 'x' });
    expect(zero.statusCode).toBe(400);
    const tooMuch = await m.request('POST', '/api/v1/points/adjust', { memberId: id, points: -21, reason: 'x' });
    expect(tooMuch.json.error.code).toBe('insufficient_points');
  });

  it('reverses an earn: removes what is unspent and refuses the rest under the refuse policy', async () => {
    const m = await env().newMerchant();
    const id = await member(m);
    const earned = await earn(m, id, 100);
    await m.request('POST', '/api/v1/points/spend', { memberId: id, points: 70, reason: 'spent' });
    const refused = await m.request('POST', `/api/v1/points/transactions/${earned.json.transaction.id}/reverse`, {});
    expect(refused.statusCode).toBe(422);
    expect(refused.json.error).toMatchObject({ code: 'points_already_spent', details: { unspentPoints: 30, shortfallPoints: 70 } });
    const partial = await m.request('POST', `/api/v1/points/transactions/${earned.json.transaction.id}/reverse`, { points: 30, reason: 'partial refund' });
    expect(partial.statusCode).toBe(201);
    expect(partial.json.balance.availablePoints).toBe(0);
    const again = await m.request('POST', `/api/v1/points/transactions/${earned.json.transaction.id}/reverse`, { points: 80 });
    expect(again.json.error.code).toBe('reversal_exceeds_earned');
    const spend = await m.request('GET', `/api/v1/members/${id}/transactions`);
    const spendId = spend.json.transactions.find((t: any) => t.kind === 'spend').id;
    const notEarn = await m.request('POST', `/api/v1/points/transactions/${spendId}/reverse`, {});
    expect(notEarn.json.error.code).toBe('not_reversible');
    const missing = await m.request('POST', '/api/v1/points/transactions/txn_missing/reverse', {});
    expect(missing.statusCode).toBe(404);
    await expectLedgerConsistent(env().ctx, m.merchantId);
  });

  it('books a claw-back below zero under the allow_negative policy, and later earns repay it', async () => {
    const m = await env().newMerchant();
    await m.request('PATCH', '/api/v1/merchant', { reversalPolicy: 'allow_negative' });
    const id = await member(m);
    const earned = await earn(m, id, 100);
    await m.request('POST', '/api/v1/points/spend', { memberId: id, points: 70, reason: 'spent' });
    const reversed = await m.request('POST', `/api/v1/points/transactions/${earned.json.transaction.id}/reverse`, { reason: 'refund' });
    expect(reversed.statusCode).toBe(201);
    expect(reversed.json.balance.availablePoints).toBe(-70);
    const fully = await m.request('POST', `/api/v1/points/transactions/${earned.json.transaction.id}/reverse`, {});
    expect(fully.json.error.code).toBe('already_reversed');
    await earn(m, id, 50);
    expect((await balance(m, id)).availablePoints).toBe(-20);
    await earn(m, id, 50);
    expect((await balance(m, id)).availablePoints).toBe(30);
    await expectLedgerConsistent(env().ctx, m.merchantId);
  });

  it('holds points for checkout: commit spends them, void returns them, a timeout releases them', async () => {
    const m = await env().newMerchant();
    const id = await member(m);
    await earn(m, id, 100);
    const hold = await m.request('POST', '/api/v1/points/reservations', { memberId: id, points: 60, reason: 'checkout 1' });
    expect(hold.statusCode).toBe(201);
    expect(hold.json.balance).toMatchObject({ availablePoints: 40, reservedPoints: 60 });
    const spendHeld = await m.request('POST', '/api/v1/points/spend', { memberId: id, points: 41, reason: 'x' });
    expect(spendHeld.json.error.code).toBe('insufficient_points');
    const reservationId = hold.json.reservation.id;
    const committed = await m.request('POST', `/api/v1/points/reservations/${reservationId}/commit`);
    expect(committed.statusCode).toBe(200);
    expect(committed.json.reservation.status).toBe('committed');
    expect(committed.json.balance).toMatchObject({ availablePoints: 40, reservedPoints: 0 });
    const twice = await m.request('POST', `/api/v1/points/reservations/${reservationId}/commit`);
    expect(twice.json.error.code).toBe('reservation_not_held');

    const second = await m.request('POST', '/api/v1/points/reservations', { memberId: id, points: 30 });
    const voided = await m.request('POST', `/api/v1/points/reservations/${second.json.reservation.id}/void`);
    expect(voided.json.balance).toMatchObject({ availablePoints: 40, reservedPoints: 0 });

    const third = await m.request('POST', '/api/v1/points/reservations', { memberId: id, points: 40, timeoutSeconds: 60 });
    expect(third.json.balance.availablePoints).toBe(0);
    env().clock.advance(61_000);
    expect(await balance(m, id)).toMatchObject({ availablePoints: 40, reservedPoints: 0 });
    const reservation = await m.request('GET', `/api/v1/points/reservations/${third.json.reservation.id}`);
    expect(reservation.json.status).toBe('expired');
    const late = await m.request('POST', `/api/v1/points/reservations/${third.json.reservation.id}/commit`);
    expect(late.json.error.code).toBe('reservation_expired');
    expect((await balance(m, id)).availablePoints).toBe(40);
    env().clock.set(Date.now());
    await expectLedgerConsistent(env().ctx, m.merchantId);
  });

  it('does not let held points expire while held', async () => {
    const m = await env().newMerchant();
    const id = await member(m);
    env().clock.set('2030-01-01T00:00:00Z');
    await earn(m, id, 50, { expiresAt: '2030-01-01T00:10:00Z' });
    const hold = await m.request('POST', '/api/v1/points/reservations', { memberId: id, points: 50, timeoutSeconds: 3600 });
    env().clock.set('2030-01-01T00:20:00Z');
    await expirePoints(env().ctx, { merchantId: m.merchantId });
    const committed = await m.request('POST', `/api/v1/points/reservations/${hold.json.reservation.id}/commit`);
    expect(committed.statusCode).toBe(200);
    const history = await m.request('GET', `/api/v1/members/${id}/transactions`);
    expect(history.json.transactions.some((t: any) => t.kind === 'expire')).toBe(false);
    env().clock.set(Date.now());
    await expectLedgerConsistent(env().ctx, m.merchantId);
  });

  it('pages through history newest first and reads one transaction with its entries', async () => {
    const m = await env().newMerchant();
    const id = await member(m);
    const ids: string[] = [];
    for (let i = 1; i <= 5; i += 1) ids.push((await earn(m, id, i)).json.transaction.id);
    const first = await m.request('GET', `/api/v1/members/${id}/transactions?limit=2`);
    expect(first.json.transactions.map((t: any) => t.id)).toEqual([ids[4], ids[3]]);
    const second = await m.request('GET', `/api/v1/members/${id}/transactions?limit=2&cursor=${first.json.nextCursor}`);
    expect(second.json.transactions.map((t: any) => t.id)).toEqual([ids[2], ids[1]]);
    const third = await m.request('GET', `/api/v1/members/${id}/transactions?limit=2&cursor=${second.json.nextCursor}`);
    expect(third.json.transactions.map((t: any) => t.id)).toEqual([ids[0]]);
    expect(third.json.nextCursor).toBeNull();
    const one = await m.request('GET', `/api/v1/points/transactions/${ids[2]}`);
    expect(one.json.entries.reduce((sum: number, e: any) => sum + e.points, 0)).toBe(0);
    expect(one.json.points).toBe(3);
  });
});
