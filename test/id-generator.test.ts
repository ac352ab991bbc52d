import { describe, expect, it } from 'vitest';
import { firstIdMadeAt } from '../src/domain/ids';
import { createIdGenerator } from '../src/services/id-generator';

describe('ids', () => {
  it('are <prefix>_<ulid>, unique and increasing within a thread, even many within one millisecond', () => {
    const newId = createIdGenerator();
    const ids = Array.from({ length: 20_000 }, () => newId('evt'));
    for (const id of ids) expect(id).toMatch(/^evt_[0-9a-hjkmnp-tv-z]{26}$/);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id, index) => index === 0 || id > (ids[index - 1] as string))).toBe(true);
    // The time part is the creation time, so ids sort by when they were made.
    const decodedMs = parseInt(ids.at(-1)!.slice(4, 14).toUpperCase().split('').map((c) => '0123456789ABCDEFGHJKMNPQRSTVWXYZ'.indexOf(c).toString(32)).join(''), 32);
    expect(Math.abs(decodedMs - Date.now())).toBeLessThan(60_000);
  });

  it('draws different randomness in different generators', () => {
    const a = createIdGenerator()('x').slice(12);
    const b = createIdGenerator()('x').slice(12);
    expect(a).not.toBe(b);
  });

  it('take the time they are given, never going back, and sort after the first id of that time', () => {
    const newId = createIdGenerator();
    const atMs = Date.parse('2099-02-01T00:00:00Z');
    const stamped = newId('txn', atMs);
    expect(stamped >= firstIdMadeAt('txn', atMs)).toBe(true);
    expect(stamped < firstIdMadeAt('txn', atMs + 1)).toBe(true);
    // A clock stepping back does not make a smaller id: the time part stays where it was.
    const after = newId('txn', atMs - 60_000);
    expect(after > stamped).toBe(true);
    expect(after >= firstIdMadeAt('txn', atMs)).toBe(true);
    expect(newId('txn') > after).toBe(true);
  });

  it('bound a time range from below: every id made at or after the time sorts at or above it', () => {
    const newId = createIdGenerator();
    const startMs = Date.parse('2026-12-01T00:00:00Z');
    expect(firstIdMadeAt('txn', startMs)).toMatch(/^txn_[0-9a-hjkmnp-tv-z]{10}0{16}$/);
    const ids = [startMs - 1, startMs, startMs + 1, startMs + 86_400_000].map((ms) => createIdGenerator()('txn', ms));
    expect(ids.map((id) => id >= firstIdMadeAt('txn', startMs))).toEqual([false, true, true, true]);
    expect(newId('txn', startMs) >= firstIdMadeAt('txn', startMs)).toBe(true);
  });
});
