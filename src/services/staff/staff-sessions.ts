import { randomBytes } from 'node:crypto';
import { hashSecret } from '../hash-secret';
import { DomainError } from '../../domain/errors';
import type { StaffRole } from '../../domain/staff/roles';
import { findMerchantBySlug } from '../../store/merchant-store';
import { deleteSession, findSession, findStaff, findStaffByEmail, insertSession } from '../../store/staff-store';
import type { ServiceContext } from '../context';
import { hashPassword, verifyPassword } from './password';
import { staffView, type StaffView } from './staff-views';

export const sessionLifetimeMs = 12 * 3_600_000;

export interface StaffPrincipal {
  kind: 'staff';
  merchantId: string;
  staffId: string;
  role: StaffRole;
  csrfToken: string;
  limits: { maxPointsPerTransaction: number | null; maxPointsPerDay: number | null };
}

// Guessing passwords: at most 10 failures per email and address in 15 minutes (per process).
const failureWindowMs = 15 * 60_000;
const maxFailures = 10;
const failures = new Map<string, number[]>();
// A hash to check against when the email is unknown, so the answer takes as long either way.
let decoyHash: Promise<string> | null = null;

/**
 * Signs a staff member in: a new session whose token goes in an HttpOnly cookie, and a CSRF token the
 * page sends back with every change. The same answer for an unknown email and a wrong password.
 */
export async function signIn(ctx: ServiceContext, input: { email: string; password: string; merchantSlug?: string | undefined; clientAddress: string }): Promise<{ token: string; csrfToken: string; staff: StaffView; expiresAt: string }> {
  const email = input.email.trim().toLowerCase();
  const nowMs = ctx.nowMs();
  const failureKey = `${email}|${input.clientAddress}`;
  const recent = (failures.get(failureKey) ?? []).filter((atMs) => atMs > nowMs - failureWindowMs);
  if (recent.length >= maxFailures) throw new DomainError('rate_limited', 'Too many failed sign-ins; try again in 15 minutes');
  let candidates = (await findStaffByEmail(ctx.store.db, email)).filter((row) => row.disabled === 0);
  if (input.merchantSlug) {
    const merchant = await findMerchantBySlug(ctx.store.db, input.merchantSlug);
    candidates = candidates.filter((row) => row.merchant_id === merchant?.id);
  }
  if (candidates.length > 1) throw new DomainError('invalid_request', 'This email works for several shops; name the shop (merchantSlug)');
  const staff = candidates[0];
  decoyHash ??= hashPassword(randomBytes(16).toString('hex'));
  const valid = await verifyPassword(input.password, staff?.password_hash ?? (await decoyHash));
  if (!staff || !valid) {
    failures.set(failureKey, [...recent, nowMs]);
    throw new DomainError('unauthorized', 'The email or the password is wrong');
  }
  failures.delete(failureKey);
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  const expiresAtMs = nowMs + sessionLifetimeMs;
  await insertSession(ctx.store.db, { token_hash: hashSecret(token), merchant_id: staff.merchant_id, staff_id: staff.id, csrf_token: csrfToken, created_at_ms: nowMs, expires_at_ms: expiresAtMs });
  return { token, csrfToken, staff: staffView(staff), expiresAt: new Date(expiresAtMs).toISOString() };
}

/** The staff member a session cookie belongs to, or null when it is unknown, expired or disabled. */
export async function authenticateSession(ctx: ServiceContext, token: string): Promise<StaffPrincipal | null> {
  const session = await findSession(ctx.store.db, hashSecret(token));
  if (!session || session.expires_at_ms <= ctx.nowMs()) return null;
  const staff = await findStaff(ctx.store.db, session.merchant_id, session.staff_id);
  if (!staff || staff.disabled === 1) return null;
  return {
    kind: 'staff', merchantId: staff.merchant_id, staffId: staff.id, role: staff.role as StaffRole, csrfToken: session.csrf_token,
    limits: { maxPointsPerTransaction: staff.max_points_per_transaction, maxPointsPerDay: staff.max_points_per_day },
  };
}

export async function signOut(ctx: ServiceContext, token: string): Promise<void> {
  await deleteSession(ctx.store.db, hashSecret(token));
}

export async function currentStaff(ctx: ServiceContext, principal: StaffPrincipal): Promise<StaffView> {
  const staff = await findStaff(ctx.store.db, principal.merchantId, principal.staffId);
  if (!staff) throw new DomainError('unauthorized', 'Not signed in');
  return staffView(staff);
}
