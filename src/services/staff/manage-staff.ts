import { DomainError } from '../../domain/errors';
import type { StaffRole } from '../../domain/staff/roles';
import { findMerchantById } from '../../store/merchant-store';
import { deleteSessionsOfStaff, findStaff, insertStaff, listStaffRows, updateStaff } from '../../store/staff-store';
import type { StaffUsersTable } from '../../store/schema';
import type { ServiceContext } from '../context';
import { hashPassword, passwordProblem } from './password';
import { staffView, type StaffView } from './staff-views';

export interface StaffInput {
  email: string;
  name: string;
  role: StaffRole;
  password: string;
  maxPointsPerTransaction?: number | null | undefined;
  maxPointsPerDay?: number | null | undefined;
}

/** Adds a staff member (the first owner comes from `sentang staff create` or the demo). */
export async function createStaff(ctx: ServiceContext, merchantId: string, input: StaffInput): Promise<StaffView> {
  if (!(await findMerchantById(ctx.store.db, merchantId))) throw new DomainError('merchant_not_found', `No merchant ${merchantId}`);
  const problem = passwordProblem(input.password);
  if (problem) throw new DomainError('invalid_request', problem);
  const nowMs = ctx.nowMs();
  const row: StaffUsersTable = {
    merchant_id: merchantId, id: ctx.newId('stf'), email: input.email.trim().toLowerCase(), name: input.name.trim(), role: input.role,
    password_hash: await hashPassword(input.password), max_points_per_transaction: input.maxPointsPerTransaction ?? null,
    max_points_per_day: input.maxPointsPerDay ?? null, disabled: 0, created_at_ms: nowMs, updated_at_ms: nowMs,
  };
  try {
    await insertStaff(ctx.store.db, row);
  } catch (error) {
    if (ctx.store.dialect.isUniqueViolation(error)) throw new DomainError('member_conflict', `Staff with the email ${row.email} already exists`);
    throw error;
  }
  return staffView(row);
}

export async function listStaff(ctx: ServiceContext, merchantId: string): Promise<StaffView[]> {
  return (await listStaffRows(ctx.store.db, merchantId)).map(staffView);
}

/** Changes role, limits, password or access; disabling (or a new password) ends their sessions. */
export async function updateStaffMember(ctx: ServiceContext, merchantId: string, staffId: string,
  patch: { name?: string | undefined; role?: StaffRole | undefined; password?: string | undefined; maxPointsPerTransaction?: number | null | undefined; maxPointsPerDay?: number | null | undefined; disabled?: boolean | undefined }): Promise<StaffView> {
  const row = await findStaff(ctx.store.db, merchantId, staffId);
  if (!row) throw new DomainError('not_found', `No staff ${staffId}`);
  const changes: Partial<StaffUsersTable> = { updated_at_ms: ctx.nowMs() };
  if (patch.name !== undefined) changes.name = patch.name.trim();
  if (patch.role !== undefined) changes.role = patch.role;
  if (patch.maxPointsPerTransaction !== undefined) changes.max_points_per_transaction = patch.maxPointsPerTransaction;
  if (patch.maxPointsPerDay !== undefined) changes.max_points_per_day = patch.maxPointsPerDay;
  if (patch.disabled !== undefined) changes.disabled = patch.disabled ? 1 : 0;
  if (patch.password !== undefined) {
    const problem = passwordProblem(patch.password);
    if (problem) throw new DomainError('invalid_request', problem);
    changes.password_hash = await hashPassword(patch.password);
  }
  await updateStaff(ctx.store.db, merchantId, staffId, changes);
  if (patch.disabled === true || patch.password !== undefined || patch.role !== undefined) await deleteSessionsOfStaff(ctx.store.db, merchantId, staffId);
  return staffView({ ...row, ...changes });
}
