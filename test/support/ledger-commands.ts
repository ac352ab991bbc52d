// Random ledger commands for property tests and the simulation: the same vocabulary for both.
import fc from 'fast-check';
import type { LedgerCommand } from '../../src/domain/ledger/types';

export type Step =
  | { op: 'earn'; member: number; points: number; expiresInS: number | null; pendingS: number }
  | { op: 'spend'; member: number; points: number }
  | { op: 'transfer'; from: number; to: number; points: number }
  | { op: 'adjust'; member: number; points: number }
  | { op: 'reverse'; pick: number; points: number | null }
  | { op: 'reserve'; member: number; points: number; timeoutS: number }
  | { op: 'commit'; pick: number }
  | { op: 'void'; pick: number }
  | { op: 'expire' }
  | { op: 'advance'; seconds: number };

export const memberCount = 3;

export const stepArbitrary: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant('earn' as const), member: fc.nat(memberCount - 1), points: fc.integer({ min: 1, max: 200 }), expiresInS: fc.option(fc.integer({ min: 1, max: 3600 }), { nil: null }), pendingS: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 600 })) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('spend' as const), member: fc.nat(memberCount - 1), points: fc.integer({ min: 1, max: 150 }) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('transfer' as const), from: fc.nat(memberCount - 1), to: fc.nat(memberCount - 1), points: fc.integer({ min: 1, max: 100 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('adjust' as const), member: fc.nat(memberCount - 1), points: fc.integer({ min: -100, max: 100 }).filter((p) => p !== 0) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('reverse' as const), pick: fc.nat(), points: fc.option(fc.integer({ min: 1, max: 100 }), { nil: null }) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('reserve' as const), member: fc.nat(memberCount - 1), points: fc.integer({ min: 1, max: 100 }), timeoutS: fc.integer({ min: 10, max: 900 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('commit' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('void' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.constant({ op: 'expire' as const }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('advance' as const), seconds: fc.integer({ min: 1, max: 4000 }) }) },
);

/** The command a step means, given the members, earns and reservations made so far (null: nothing to do). */
export function toCommand(step: Step, members: string[], earns: string[], reservations: string[], nowMs: number): LedgerCommand | null {
  const member = (index: number) => members[index % members.length] as string;
  switch (step.op) {
    case 'earn':
      return {
        type: 'earn', memberId: member(step.member), points: step.points, reason: 'p',
        availableAtMs: nowMs + step.pendingS * 1000, expiresAtMs: step.expiresInS === null ? null : nowMs + step.pendingS * 1000 + step.expiresInS * 1000,
      };
    case 'spend':
      return { type: 'spend', memberId: member(step.member), points: step.points, reason: 'p' };
    case 'transfer':
      return { type: 'transfer', fromMemberId: member(step.from), toMemberId: member(step.to), points: step.points };
    case 'adjust':
      return { type: 'adjust', memberId: member(step.member), points: step.points, reason: 'p' };
    case 'reverse':
      return earns.length ? { type: 'reverse', transactionId: earns[step.pick % earns.length] as string, points: step.points ?? undefined } : null;
    case 'reserve':
      return { type: 'reserve', memberId: member(step.member), points: step.points, timeoutSeconds: step.timeoutS };
    case 'commit':
      return reservations.length ? { type: 'commit_reservation', reservationId: reservations[step.pick % reservations.length] as string } : null;
    case 'void':
      return reservations.length ? { type: 'void_reservation', reservationId: reservations[step.pick % reservations.length] as string } : null;
    case 'expire':
      return { type: 'expire', memberId: member(0) };
    case 'advance':
      return null;
  }
}
