import type { MembersTable } from '../../store/schema';

export interface MemberView {
  id: string;
  externalId: string | null;
  phone: string | null;
  email: string | null;
  lineUserId: string | null;
  name: string | null;
  birthday: string | null;
  createdAt: string;
  updatedAt: string;
}

export function memberView(row: MembersTable): MemberView {
  return {
    id: row.id, externalId: row.external_id, phone: row.phone_e164, email: row.email, lineUserId: row.line_user_id,
    name: row.name, birthday: row.birthday,
    createdAt: new Date(row.created_at_ms).toISOString(), updatedAt: new Date(row.updated_at_ms).toISOString(),
  };
}
