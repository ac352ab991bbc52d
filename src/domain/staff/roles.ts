// What each staff role may do over the API. Owners do everything; managers everything but staff
// accounts and API keys; cashiers what the counter needs: find or add a member, give points within their limits,
// and take coupons.
export const staffRoles = ['owner', 'manager', 'cashier'] as const;
export type StaffRole = (typeof staffRoles)[number];

type Rule = [method: string, pattern: RegExp];

const cashierRules: Rule[] = [
  ['GET', /^\/api\/v1\/merchant$/],
  ['GET', /^\/api\/v1\/members(\/[^/]+(\/(balance|tier|coupons))?)?$/],
  ['POST', /^\/api\/v1\/members$/],
  ['POST', /^\/api\/v1\/points\/earn$/],
  ['POST', /^\/api\/v1\/points\/spend$/],
  ['GET', /^\/api\/v1\/rewards(\/[^/]+)?$/],
  ['POST', /^\/api\/v1\/rewards\/[^/]+\/redeem$/],
  ['GET', /^\/api\/v1\/coupons\/[^/]+$/],
  ['POST', /^\/api\/v1\/coupons\/validate$/],
  ['POST', /^\/api\/v1\/coupons\/[^/]+\/consume$/],
  ['POST', /^\/api\/v1\/counter\/(redeem|sales)$/],
];
const ownerOnly: Rule[] = [['*', /^\/api\/v1\/staff(\/.*)?$/], ['*', /^\/api\/v1\/keys(\/.*)?$/]];

const matches = (rules: Rule[], method: string, path: string) => rules.some(([ruleMethod, pattern]) => (ruleMethod === '*' || ruleMethod === method) && pattern.test(path));

/** May a staff member of this role call the endpoint? `path` is the URL path without the query. */
export function roleAllows(role: StaffRole, method: string, path: string): boolean {
  if (role === 'owner') return true;
  if (matches(ownerOnly, method, path)) return false;
  if (role === 'manager') return true;
  return matches(cashierRules, method, path);
}

/** Refuses a grant over a cashier's per-transaction or per-day limit; returns the reason, or null. */
export function cashierLimitProblem(limits: { maxPointsPerTransaction: number | null; maxPointsPerDay: number | null }, points: number, grantedTodayPoints: number): string | null {
  if (limits.maxPointsPerTransaction !== null && points > limits.maxPointsPerTransaction) return `A cashier may give at most ${limits.maxPointsPerTransaction} points at once`;
  if (limits.maxPointsPerDay !== null && grantedTodayPoints + points > limits.maxPointsPerDay) {
    return `A cashier may give at most ${limits.maxPointsPerDay} points a day (${grantedTodayPoints} given today)`;
  }
  return null;
}
