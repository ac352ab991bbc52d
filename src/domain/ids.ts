// Ids are `<prefix>_<ulid>` in lower case (services/id-generator.ts makes them). A ULID's first ten
// characters are its creation time in milliseconds, and lower case keeps Crockford's base32 in
// order, so ids of one prefix sort by when they were made.
import { encodeTime } from 'ulid';

/** The smallest id with `prefix` that can have been made at `timeMs` or later: a lower bound for ranges by time. */
export function firstIdMadeAt(prefix: string, timeMs: number): string {
  return `${prefix}_${encodeTime(Math.max(0, Math.floor(timeMs)), 10).toLowerCase()}${'0'.repeat(16)}`;
}
