import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { DomainError } from '../errors';

/**
 * A phone number in E.164. Numbers without a country code are read as the merchant's country
 * (Thailand by default), so `081-234-5678` and `+66 81 234 5678` are the same member.
 */
export function normalizePhone(input: string, defaultCountry: CountryCode = 'TH'): string {
  const parsed = parsePhoneNumberFromString(input.trim(), defaultCountry);
  if (!parsed || !parsed.isValid()) {
    throw new DomainError('invalid_phone', `"${input}" is not a valid phone number`, { phone: input });
  }
  return parsed.number;
}

/** How people at home write the number: `081 234 5678` for a Thai one, international otherwise. */
export function displayPhone(e164: string, homeCountry: CountryCode = 'TH'): string {
  const parsed = parsePhoneNumberFromString(e164);
  if (!parsed) return e164;
  return parsed.country === homeCountry ? parsed.formatNational() : parsed.formatInternational();
}

export function normalizeEmail(input: string): string {
  return input.trim().toLowerCase();
}
