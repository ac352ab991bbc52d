import { describe, expect, it } from 'vitest';
import { displayPhone, normalizePhone } from '../../src/domain/members/normalize-contact';

describe('phone numbers', () => {
  it('stores Thai numbers as typed in E.164 and shows them as written at home', () => {
    expect(normalizePhone('081-234-5678')).toBe('+66812345678');
    expect(normalizePhone('+66 81 234 5678')).toBe('+66812345678');
    expect(displayPhone('+66812345678')).toBe('081 234 5678');
    expect(displayPhone('+6621234567')).toBe('02 123 4567');
  });

  it('shows a foreign number internationally and refuses what is not a number', () => {
    expect(displayPhone('+442071838750')).toBe('+44 20 7183 8750');
    expect(() => normalizePhone('12')).toThrow(/not a valid phone number/);
  });
});
