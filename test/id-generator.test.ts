import { describe, expect, it } from 'vitest';
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
});
