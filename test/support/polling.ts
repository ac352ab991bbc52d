// Points from rules reach the ledger just after the answer (through the outbox); tests wait for them.
import { expect } from 'vitest';
import type { TestMerchant } from './stores';

/** Reads until the value equals `expected` (for up to 2 s), then asserts it. */
export async function eventually<T>(read: () => Promise<T>, expected: T): Promise<void> {
  let last: T | undefined;
  for (let attempt = 0; attempt < 100; attempt += 1) {
    last = await read();
    if (JSON.stringify(last) === JSON.stringify(expected)) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  expect(last).toEqual(expected);
}

/** A member's available points. */
export async function availablePointsOf(m: TestMerchant, memberId: string): Promise<number> {
  return (await m.request('GET', `/api/v1/members/${memberId}/balance`)).json.availablePoints as number;
}
