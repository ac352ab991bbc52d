import { DomainError } from '../../domain/errors';
import { normalizeEmail, normalizePhone } from '../../domain/members/normalize-contact';
import { findMemberBy, type MemberLookupField } from '../../store/member-store';
import type { MembersTable } from '../../store/schema';
import type { ServiceContext } from '../context';

export interface MemberFieldsInput {
  externalId?: string | null | undefined;
  phone?: string | null | undefined;
  email?: string | null | undefined;
  lineUserId?: string | null | undefined;
  name?: string | null | undefined;
  birthday?: string | null | undefined;
}

const uniqueFields: { input: keyof MemberFieldsInput; column: MemberLookupField }[] = [
  { input: 'externalId', column: 'external_id' },
  { input: 'phone', column: 'phone_e164' },
  { input: 'email', column: 'email' },
  { input: 'lineUserId', column: 'line_user_id' },
];

/** The columns an input sets, normalised: phone to E.164, email to lower case. */
export function memberColumns(input: MemberFieldsInput): Partial<MembersTable> {
  const columns: Partial<MembersTable> = {};
  if (input.externalId !== undefined) columns.external_id = input.externalId;
  if (input.phone !== undefined) columns.phone_e164 = input.phone === null ? null : normalizePhone(input.phone);
  if (input.email !== undefined) columns.email = input.email === null ? null : normalizeEmail(input.email);
  if (input.lineUserId !== undefined) columns.line_user_id = input.lineUserId;
  if (input.name !== undefined) columns.name = input.name;
  if (input.birthday !== undefined) columns.birthday = input.birthday;
  return columns;
}

/** Refuses values another member of the merchant already has, naming the field. */
export async function assertMemberFieldsFree(ctx: ServiceContext, merchantId: string, columns: Partial<MembersTable>, exceptMemberId: string | null): Promise<void> {
  for (const { input, column } of uniqueFields) {
    const value = columns[column];
    if (value === undefined || value === null) continue;
    const existing = await findMemberBy(ctx.store.db, merchantId, column, value);
    if (existing && existing.id !== exceptMemberId) {
      throw new DomainError('member_conflict', `Another member already has this ${input}`, { field: input, memberId: existing.id });
    }
  }
}

export function conflictFromUniqueViolation(error: unknown): DomainError {
  const text = String(error instanceof Error ? error.message : error);
  const field = uniqueFields.find(({ column }) => text.includes(column))?.input;
  return new DomainError('member_conflict', field ? `Another member already has this ${field}` : 'Another member already has one of these identifiers', field ? { field } : undefined);
}
