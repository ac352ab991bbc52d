import type { StaffRole } from '../../domain/staff/roles';
import type { StaffUsersTable } from '../../store/schema';

export interface StaffView {
  id: string;
  email: string;
  name: string;
  role: StaffRole;
  maxPointsPerTransaction: number | null;
  maxPointsPerDay: number | null;
  disabled: boolean;
  createdAt: string;
}

export function staffView(row: StaffUsersTable): StaffView {
  return {
    id: row.id, email: row.email, name: row.name, role: row.role as StaffRole, maxPointsPerTransaction: row.max_points_per_transaction,
    maxPointsPerDay: row.max_points_per_day, disabled: row.disabled === 1, createdAt: new Date(row.created_at_ms).toISOString(),
  };
}
