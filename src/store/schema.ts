// Row types of every table, as Kysely sees them. Times are UTC epoch milliseconds,
// points are integers; `merchant_id` leads the key of every tenant table (Citus-ready).
export interface MerchantsTable {
  id: string;
  slug: string;
  name: string;
  time_zone: string;
  currency: string;
  expiry_policy: string;
  expiry_months: number | null;
  reversal_policy: string;
  transfer_min_points: number;
  transfer_max_points: number | null;
  transfer_max_points_per_month: number | null;
  reservation_timeout_seconds: number;
  at_risk_days: number;
  channel_rules_json: string;
  website_url: string | null;
  line_channel_id: string | null;
  liff_id: string | null;
  referral_converts_on: string;
  referral_weekly_limit: number;
  created_at_ms: number;
  updated_at_ms: number;
}

export interface ApiKeysTable {
  merchant_id: string;
  id: string;
  kind: string;
  key_hash: string;
  key_prefix: string;
  label: string;
  created_at_ms: number;
  revoked_at_ms: number | null;
}

export interface MembersTable {
  merchant_id: string;
  id: string;
  external_id: string | null;
  phone_e164: string | null;
  email: string | null;
  line_user_id: string | null;
  name: string | null;
  birthday: string | null;
  created_at_ms: number;
  updated_at_ms: number;
  /**
   * Raised by every ledger batch that writes the member on PostgreSQL (migration 0019); 0 on SQLite.
   * Optional: rows are written without it (the default) and only the ledger's lock reads it.
   */
  ledger_version?: number;
}

export interface PointLotsTable {
  merchant_id: string;
  id: string;
  member_id: string;
  source_transaction_id: string;
  points_original: number;
  points_remaining: number;
  /** 1 while points_remaining is not 0; the open-lot indexes cover only these (migration 0018). */
  is_open: number;
  available_at_ms: number;
  expires_at_ms: number | null;
  created_at_ms: number;
}

export interface PointsTransactionsTable {
  merchant_id: string;
  id: string;
  kind: string;
  member_id: string;
  counterparty_member_id: string | null;
  points: number;
  reason: string | null;
  idempotency_key: string | null;
  reverses_transaction_id: string | null;
  reservation_id: string | null;
  created_at_ms: number;
}

export interface LedgerEntriesTable {
  merchant_id: string;
  transaction_id: string;
  entry_index: number;
  account: string;
  member_id: string | null;
  lot_id: string | null;
  points: number;
  created_at_ms: number;
}

export interface ReservationsTable {
  merchant_id: string;
  id: string;
  member_id: string;
  points: number;
  status: string;
  reason: string | null;
  expires_at_ms: number;
  created_at_ms: number;
  resolved_at_ms: number | null;
}

export interface ReservationLotsTable {
  merchant_id: string;
  reservation_id: string;
  lot_id: string;
  points: number;
}

export interface IdempotencyRecordsTable {
  merchant_id: string;
  idempotency_key: string;
  operation: string;
  request_hash: string;
  status_code: number;
  response_json: string;
  created_at_ms: number;
}

export interface EventsTable {
  merchant_id: string;
  id: string;
  message_id: string;
  type: string;
  event_name: string | null;
  user_id: string | null;
  anonymous_id: string | null;
  previous_id: string | null;
  group_id: string | null;
  properties_json: string | null;
  traits_json: string | null;
  context_json: string | null;
  timestamp_ms: number;
  original_timestamp_ms: number | null;
  sent_at_ms: number | null;
  received_at_ms: number;
  person_id: string | null;
}

export interface PeopleTable {
  merchant_id: string;
  id: string;
  user_id: string | null;
  member_id: string | null;
  merged_into_person_id: string | null;
  first_seen_at_ms: number;
  last_seen_at_ms: number;
}

export interface PersonIdentitiesTable {
  merchant_id: string;
  kind: string;
  value: string;
  person_id: string;
  created_at_ms: number;
}

export interface IdentityConflictsTable {
  merchant_id: string;
  id: string;
  person_id: string | null;
  other_person_id: string;
  message_id: string;
  reason: string;
  created_at_ms: number;
}

export interface StageDefinitionsTable {
  merchant_id: string;
  key: string;
  position: number;
  name: string;
  rules_json: string;
}

export interface PersonStagesTable {
  merchant_id: string;
  person_id: string;
  stage_key: string;
  reached_at_ms: number;
  event_id: string;
}

export interface EarningRulesTable {
  merchant_id: string;
  id: string;
  name: string;
  event: string;
  conditions_json: string;
  award_json: string;
  caps_json: string;
  starts_at_ms: number | null;
  ends_at_ms: number | null;
  pending_days: number;
  expires_in_days: number | null;
  active: number;
  created_at_ms: number;
  updated_at_ms: number;
}

export interface PointAwardsTable {
  merchant_id: string;
  id: string;
  kind: string;
  rule_id: string;
  member_id: string;
  points: number;
  event_id: string;
  order_id: string | null;
  event_at_ms: number;
  available_at_ms: number;
  expires_at_ms: number | null;
  reverses_award_id: string | null;
  status: string;
  transaction_id: string | null;
  failure: string | null;
  created_at_ms: number;
}

export interface TierProgramsTable {
  merchant_id: string;
  program_json: string;
  updated_at_ms: number;
}

export interface MemberTiersTable {
  merchant_id: string;
  member_id: string;
  tier_key: string;
  since_ms: number;
  below_since_ms: number | null;
}

export interface TierChangesTable {
  merchant_id: string;
  id: string;
  member_id: string;
  from_tier: string | null;
  to_tier: string;
  direction: string;
  qualifying_value: number;
  at_ms: number;
}

export interface RewardsTable {
  merchant_id: string;
  id: string;
  name_th: string;
  name_en: string;
  description_th: string;
  description_en: string;
  image_url: string | null;
  kind: string;
  value: number | null;
  min_order_satang: number;
  cost_points: number;
  stock_total: number | null;
  stock_remaining: number | null;
  per_member_limit: number | null;
  starts_at_ms: number | null;
  ends_at_ms: number | null;
  tiers_json: string;
  coupon_valid_days: number;
  refund_on_cancel: number;
  issue_on_signup: number;
  uses_code_pool: number;
  active: number;
  created_at_ms: number;
  updated_at_ms: number;
}

export interface RewardCodesTable {
  merchant_id: string;
  reward_id: string;
  code: string;
  coupon_id: string | null;
  uploaded_at_ms: number;
}

export interface CouponsTable {
  merchant_id: string;
  id: string;
  code: string;
  reward_id: string;
  member_id: string;
  status: string;
  kind: string;
  value: number | null;
  min_order_satang: number;
  points_cost: number;
  request_key: string | null;
  spend_transaction_id: string | null;
  refund_transaction_id: string | null;
  issued_at_ms: number;
  expires_at_ms: number;
  consumed_at_ms: number | null;
  consumed_order_id: string | null;
  consumed_discount_satang: number | null;
  cancelled_at_ms: number | null;
  cancel_reason: string | null;
  counter_code_hash: string | null;
  counter_code_expires_at_ms: number | null;
}

export interface ReferralCodesTable {
  merchant_id: string;
  code: string;
  member_id: string;
  created_at_ms: number;
}

export interface ReferralsTable {
  merchant_id: string;
  id: string;
  code: string;
  referrer_member_id: string;
  referee_member_id: string;
  status: string;
  flags_json: string;
  ip: string | null;
  device_id: string | null;
  created_at_ms: number;
  converted_at_ms: number | null;
}

export interface ReferralDecisionsTable {
  merchant_id: string;
  id: string;
  referral_id: string;
  action: string;
  reason: string | null;
  at_ms: number;
}

export interface ShareLinksTable {
  merchant_id: string;
  code: string;
  member_id: string | null;
  target_url: string;
  campaign: string | null;
  created_at_ms: number;
}

export interface ShareClicksTable {
  merchant_id: string;
  id: string;
  code: string;
  visitor_id: string;
  counted: number;
  not_counted_because: string | null;
  at_ms: number;
}

export interface ShareConversionsTable {
  merchant_id: string;
  event_id: string;
  code: string;
  kind: string;
  member_id: string | null;
  revenue_satang: number;
  at_ms: number;
}

export interface UgcUploadsTable {
  merchant_id: string;
  id: string;
  media_type: string;
  size_bytes: number;
  file_name: string;
  created_at_ms: number;
}

export interface UgcItemsTable {
  merchant_id: string;
  id: string;
  member_id: string;
  kind: string;
  status: string;
  upload_id: string | null;
  media_url: string | null;
  post_url: string | null;
  rating: number | null;
  text: string | null;
  product_id: string | null;
  consent: number;
  submitted_at_ms: number;
  decided_at_ms: number | null;
  decision_reason: string | null;
}

export interface StaffUsersTable {
  merchant_id: string;
  id: string;
  email: string;
  name: string;
  role: string;
  password_hash: string;
  max_points_per_transaction: number | null;
  max_points_per_day: number | null;
  disabled: number;
  created_at_ms: number;
  updated_at_ms: number;
}

export interface StaffSessionsTable {
  token_hash: string;
  merchant_id: string;
  staff_id: string;
  csrf_token: string;
  created_at_ms: number;
  expires_at_ms: number;
}

export interface StaffPointGrantsTable {
  merchant_id: string;
  transaction_id: string;
  staff_id: string;
  points: number;
  at_ms: number;
}

export interface MemberSignInLinksTable {
  token_hash: string;
  merchant_id: string;
  member_id: string;
  created_at_ms: number;
  expires_at_ms: number;
  used_at_ms: number | null;
}

export interface MemberSessionsTable {
  token_hash: string;
  merchant_id: string;
  member_id: string;
  csrf_token: string;
  created_at_ms: number;
  expires_at_ms: number;
}

export interface MemberConsentsTable {
  merchant_id: string;
  member_id: string;
  marketing: number;
  updated_at_ms: number;
}

export interface Database {
  member_sign_in_links: MemberSignInLinksTable;
  member_sessions: MemberSessionsTable;
  member_consents: MemberConsentsTable;
  staff_users: StaffUsersTable;
  staff_sessions: StaffSessionsTable;
  staff_point_grants: StaffPointGrantsTable;
  ugc_uploads: UgcUploadsTable;
  ugc_items: UgcItemsTable;
  share_links: ShareLinksTable;
  share_clicks: ShareClicksTable;
  share_conversions: ShareConversionsTable;
  referral_codes: ReferralCodesTable;
  referrals: ReferralsTable;
  referral_decisions: ReferralDecisionsTable;
  rewards: RewardsTable;
  reward_codes: RewardCodesTable;
  coupons: CouponsTable;
  merchants: MerchantsTable;
  api_keys: ApiKeysTable;
  members: MembersTable;
  point_lots: PointLotsTable;
  points_transactions: PointsTransactionsTable;
  ledger_entries: LedgerEntriesTable;
  reservations: ReservationsTable;
  reservation_lots: ReservationLotsTable;
  idempotency_records: IdempotencyRecordsTable;
  events: EventsTable;
  people: PeopleTable;
  person_identities: PersonIdentitiesTable;
  identity_conflicts: IdentityConflictsTable;
  stage_definitions: StageDefinitionsTable;
  person_stages: PersonStagesTable;
  earning_rules: EarningRulesTable;
  point_awards: PointAwardsTable;
  tier_programs: TierProgramsTable;
  member_tiers: MemberTiersTable;
  tier_changes: TierChangesTable;
}

