import { describe, expect, it } from 'vitest';
import { decideIdentity, isJunkId } from '../../src/domain/identity/resolve-identity';

describe('identity rules', () => {
  it('treats placeholder ids as no id', () => {
    for (const junk of ['', ' ', 'anonymous', 'NULL', 'undefined', '0', '-1', 'NaN', '[object Object]']) expect(isJunkId(junk), junk).toBe(true);
    for (const real of ['u-1', 'anon-1', '42']) expect(isJunkId(real), real).toBe(false);
  });

  it('joins an anonymous person to the identified one, and never two identified people', () => {
    const anonymous = { id: 'pA', userId: null };
    const identified = { id: 'pU', userId: 'u1' };
    const other = { id: 'pV', userId: 'u2' };
    expect(decideIdentity({ userId: 'u1', anonymousId: 'a1' }, null, null)).toEqual({ kind: 'create' });
    expect(decideIdentity({ userId: null, anonymousId: 'a1' }, null, anonymous)).toEqual({ kind: 'use', personId: 'pA' });
    expect(decideIdentity({ userId: 'u1', anonymousId: 'a1' }, null, anonymous)).toEqual({ kind: 'attach_user', personId: 'pA' });
    expect(decideIdentity({ userId: 'u1', anonymousId: 'a9' }, identified, null)).toEqual({ kind: 'attach_anonymous', personId: 'pU' });
    expect(decideIdentity({ userId: 'u1', anonymousId: null }, identified, null)).toEqual({ kind: 'use', personId: 'pU' });
    expect(decideIdentity({ userId: 'u1', anonymousId: 'a1' }, identified, anonymous)).toEqual({ kind: 'merge', fromPersonId: 'pA', intoPersonId: 'pU' });
    expect(decideIdentity({ userId: 'u1', anonymousId: 'a2' }, identified, other)).toMatchObject({ kind: 'conflict', personId: 'pU', otherPersonId: 'pV' });
    expect(decideIdentity({ userId: 'u3', anonymousId: 'a2' }, null, other)).toMatchObject({ kind: 'conflict', personId: null, otherPersonId: 'pV' });
  });
});
