// A batch's outcomes cross from the ledger writer thread to the HTTP thread as one string.
// postMessage clones objects property by property (V8's ValueSerializer, then building every
// object again on the other side); a string it copies in one piece. Under callgrind, receiving
// the outcomes as objects took ~8,700 instructions a command on the HTTP thread; as text its
// instructions per ledger request fell 148.5k -> 143.7k. (The batches themselves still go as
// objects: written as JSON they cost the HTTP thread as much as they saved the writer.)
import type { BatchOutcome } from './execute-ledger-batch';

/** An answered command: its status, whether it replayed an earlier answer, and the length of its body. */
type AnsweredHeader = [statusCode: number, replayed: 0 | 1, bodyLength: number];
type FailedHeader = Exclude<BatchOutcome, { ok: true }>;

/**
 * A batch's outcomes as `<header length>:<header JSON><bodies>`: the header lists each outcome
 * (an answer's status and body length, or the failure itself), and the answers' bodies follow it
 * as they are, one after another. A body is already JSON; nested in more JSON each of its quotes
 * would be escaped on one side and unescaped on the other.
 */
export function encodeOutcomes(outcomes: readonly BatchOutcome[]): string {
  const header: (AnsweredHeader | FailedHeader)[] = [];
  let bodies = '';
  for (const outcome of outcomes) {
    if (outcome.ok) {
      header.push([outcome.result.statusCode, outcome.result.replayed ? 1 : 0, outcome.result.bodyJson.length]);
      bodies += outcome.result.bodyJson;
    } else {
      header.push(outcome);
    }
  }
  const headerJson = JSON.stringify(header);
  return `${headerJson.length}:${headerJson}${bodies}`;
}

export function decodeOutcomes(text: string): BatchOutcome[] {
  const colon = text.indexOf(':');
  const headerEnd = colon + 1 + Number(text.slice(0, colon));
  const header = JSON.parse(text.slice(colon + 1, headerEnd)) as (AnsweredHeader | FailedHeader)[];
  const outcomes: BatchOutcome[] = [];
  let offset = headerEnd;
  for (const entry of header) {
    if (!Array.isArray(entry)) {
      outcomes.push(entry);
      continue;
    }
    const [statusCode, replayed, bodyLength] = entry;
    outcomes.push({ ok: true, result: { statusCode, bodyJson: text.slice(offset, offset + bodyLength), replayed: replayed === 1 } });
    offset += bodyLength;
  }
  if (offset !== text.length) throw new Error(`ledger writer answer garbled: ${text.length - offset} characters left over`);
  return outcomes;
}
