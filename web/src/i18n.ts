// Thai first (the counter staff's language), English for everyone else; the choice is remembered.
export type Language = 'th' | 'en';

const texts = {
  signIn: { th: 'เข้าสู่ระบบ', en: 'Sign in' },
  email: { th: 'อีเมล', en: 'Email' },
  password: { th: 'รหัสผ่าน', en: 'Password' },
  signOut: { th: 'ออกจากระบบ', en: 'Sign out' },
  cashier: { th: 'หน้าแคชเชียร์', en: 'Cashier' },
  phone: { th: 'เบอร์โทรสมาชิก', en: "Member's phone" },
  amount: { th: 'ยอดซื้อ (บาท)', en: 'Amount (baht)' },
  confirm: { th: 'ยืนยันและให้แต้ม', en: 'Confirm and give points' },
  pointsAwarded: { th: 'ได้รับแต้ม', en: 'Points awarded' },
  balance: { th: 'แต้มคงเหลือ', en: 'Balance' },
  newMember: { th: 'สมัครสมาชิกใหม่แล้ว', en: 'New member added' },
  nextSale: { th: 'รายการถัดไป', en: 'Next sale' },
  counterCode: { th: 'รหัสแลกของรางวัล 6 หลัก', en: '6-digit reward code' },
  redeem: { th: 'ใช้คูปอง', en: 'Use coupon' },
  couponUsed: { th: 'ใช้คูปองแล้ว', en: 'Coupon used' },
  signedInAs: { th: 'เข้าสู่ระบบในชื่อ', en: 'Signed in as' },
  apiDocs: { th: 'เอกสาร API', en: 'API docs' },
  points: { th: 'แต้ม', en: 'points' },
  overview: { th: 'ภาพรวม', en: 'Overview' },
  members: { th: 'สมาชิก', en: 'Members' },
  active30d: { th: 'ใช้งานใน 30 วัน', en: 'Active in 30 days' },
  pointsIssued: { th: 'แต้มที่ให้ไป', en: 'Points issued' },
  pointsRedeemed: { th: 'แต้มที่แลกแล้ว', en: 'Points redeemed' },
  pointsOutstanding: { th: 'แต้มคงค้าง (หนี้สิน)', en: 'Points outstanding (liability)' },
  journeyFunnel: { th: 'เส้นทางลูกค้า (90 วัน)', en: 'Customer journey (90 days)' },
  stageFlows: { th: 'การเคลื่อนระหว่างขั้น', en: 'Stage flows' },
  conversionTrend: { th: 'อัตราการซื้อรายสัปดาห์', en: 'Weekly purchase conversion' },
  topChannels: { th: 'ช่องทางหลัก', en: 'Top channels' },
  dashboard: { th: 'แดชบอร์ด', en: 'Dashboard' },
  searchMembers: { th: 'ค้นหาชื่อ อีเมล หรือเบอร์โทร', en: 'Search name, email or phone' },
  search: { th: 'ค้นหา', en: 'Search' },
  name: { th: 'ชื่อ', en: 'Name' },
  noMembers: { th: 'ไม่พบสมาชิก', en: 'No members found' },
  pending: { th: 'แต้มรอยืนยัน', en: 'Pending' },
  expiringSoon: { th: 'หมดอายุใน 30 วัน', en: 'Expiring in 30 days' },
  tier: { th: 'ระดับ', en: 'Tier' },
  history: { th: 'ประวัติแต้ม', en: 'Points history' },
  when: { th: 'เวลา', en: 'When' },
  what: { th: 'รายการ', en: 'What' },
  reason: { th: 'เหตุผล', en: 'Reason' },
  adjustPoints: { th: 'ปรับแต้ม', en: 'Adjust points' },
  pointsChange: { th: 'จำนวนแต้ม (+/-)', en: 'Points (+/-)' },
  adjusted: { th: 'ปรับแต้มแล้ว', en: 'Points adjusted' },
  moderation: { th: 'ตรวจสอบ', en: 'Review' },
  ugcQueue: { th: 'รีวิวและรูปภาพรอตรวจ', en: 'Content waiting for moderation' },
  referralQueue: { th: 'การแนะนำเพื่อนที่รอตรวจ', en: 'Referrals held for review' },
  nothingWaiting: { th: 'ไม่มีรายการรอ', en: 'Nothing waiting' },
  approve: { th: 'อนุมัติ', en: 'Approve' },
  reject: { th: 'ปฏิเสธ', en: 'Reject' },
  rejectedByStaff: { th: 'ไม่ผ่านการตรวจสอบ', en: 'Rejected by staff' },
  noConsent: { th: 'ไม่อนุญาตให้เผยแพร่', en: 'not for public display' },
  referrer: { th: 'ผู้แนะนำ', en: 'Referrer' },
  friend: { th: 'เพื่อน', en: 'Friend' },
  settings: { th: 'ตั้งค่า', en: 'Settings' },
  saved: { th: 'บันทึกแล้ว', en: 'Saved' },
  save: { th: 'บันทึก', en: 'Save' },
  shopName: { th: 'ชื่อร้าน', en: 'Shop name' },
  timeZone: { th: 'เขตเวลา', en: 'Time zone' },
  website: { th: 'เว็บไซต์', en: 'Website' },
  atRiskDays: { th: 'วันที่ไม่มีความเคลื่อนไหวก่อนถือว่าเสี่ยงหาย', en: 'Quiet days before a customer is at risk' },
  referralConvertsOn: { th: 'นับการแนะนำเพื่อนเมื่อ', en: 'A referral counts at' },
  firstOrder: { th: 'เพื่อนซื้อครั้งแรก', en: "the friend's first order" },
  signUp: { th: 'เพื่อนสมัครสมาชิก', en: 'sign-up' },
  referralWeeklyLimit: { th: 'จำนวนแนะนำต่อสัปดาห์ก่อนต้องตรวจ', en: 'Referrals a week before review' },
  staff: { th: 'พนักงาน', en: 'Staff' },
  addStaff: { th: 'เพิ่มพนักงาน', en: 'Add staff' },
  role: { th: 'บทบาท', en: 'Role' },
  expiryPolicy: { th: 'อายุแต้ม', en: 'Points expire' },
  expiryNever: { th: 'ไม่หมดอายุ', en: 'never' },
  expiryMonths: { th: 'หลังได้รับ N เดือน', en: 'N months after earning' },
  expiryEndOfYear: { th: 'สิ้นปีปฏิทิน', en: 'at the end of the calendar year' },
  expiryEndOfNextYear: { th: 'สิ้นปีถัดไป', en: 'at the end of the next calendar year' },
  months: { th: 'จำนวนเดือน', en: 'Months' },
  transferMin: { th: 'โอนขั้นต่ำต่อครั้ง (แต้ม)', en: 'Smallest transfer (points)' },
  transferMax: { th: 'โอนสูงสุดต่อครั้ง (ว่าง = ไม่จำกัด)', en: 'Largest transfer (empty: no limit)' },
  transferMonthly: { th: 'โอนสูงสุดต่อเดือน (ว่าง = ไม่จำกัด)', en: 'Most a month (empty: no limit)' },
  lineChannelId: { th: 'Channel ID ของ LINE Login (ให้สมาชิกเข้าด้วย LINE)', en: 'LINE Login channel ID (members sign in with LINE)' },
  liffId: { th: 'LIFF ID ของหน้าสมาชิก', en: 'LIFF ID of the member portal' },
  apiKeys: { th: 'คีย์ API', en: 'API keys' },
  keyLabel: { th: 'ชื่อคีย์', en: 'Key label' },
  keyKind: { th: 'ชนิด', en: 'Kind' },
  secretKey: { th: 'คีย์ลับ (sk_) สำหรับ API', en: 'Secret key (sk_) for the API' },
  writeKey: { th: 'คีย์เขียน (wk_) สำหรับส่งอีเวนต์', en: 'Write key (wk_) for sending events' },
  createKey: { th: 'สร้างคีย์', en: 'Create key' },
  keyShownOnce: { th: 'คัดลอกเก็บไว้ตอนนี้ จะไม่แสดงอีก', en: 'Copy it now: it will not be shown again' },
  revoke: { th: 'ยกเลิกคีย์', en: 'Revoke' },
  revoked: { th: 'ยกเลิกแล้ว', en: 'revoked' },
  rulesAndTiers: { th: 'กติกาแต้มและระดับสมาชิก', en: 'Rules and tiers' },
  earningRules: { th: 'กติกาการให้แต้ม', en: 'Earning rules' },
  trigger: { th: 'เมื่อเกิดเหตุการณ์', en: 'When this happens' },
  award: { th: 'ให้แต้ม', en: 'Award' },
  active: { th: 'ใช้งาน', en: 'Active' },
  addRule: { th: 'เพิ่มกติกา', en: 'Add rule' },
  pointsPerAmount: { th: 'ตามยอดซื้อ', en: 'By order amount' },
  fixedPoints: { th: 'จำนวนคงที่', en: 'A fixed number' },
  pointsToGive: { th: 'จำนวนแต้ม', en: 'Points' },
  perBaht: { th: 'ต่อยอดซื้อทุก (บาท)', en: 'For every (baht)' },
  minOrderBaht: { th: 'ยอดซื้อขั้นต่ำ (บาท)', en: 'Smallest order (baht)' },
  oncePerMember: { th: 'ครั้งเดียวต่อสมาชิก', en: 'Once per member' },
  maxPointsPerDay: { th: 'แต้มสูงสุดต่อวัน', en: 'Most points a day' },
  sampleOrderBaht: { th: 'ลองกับยอดซื้อ (บาท)', en: 'Try an order of (baht)' },
  livePreview: { th: 'ตัวอย่าง', en: 'Live preview' },
  previewOrder: { th: 'ยอดซื้อ', en: 'An order of' },
  tiers: { th: 'ระดับสมาชิก', en: 'Tiers' },
  tierBasis: { th: 'วัดจาก', en: 'Measured by' },
  pointsEarned: { th: 'แต้มที่ได้รับ', en: 'points earned' },
  spendSatang: { th: 'ยอดซื้อ (สตางค์)', en: 'spend (satang)' },
  windowMonths: { th: 'ช่วงเวลา (เดือน)', en: 'Window (months)' },
  tierKey: { th: 'รหัส', en: 'Key' },
  threshold: { th: 'เกณฑ์', en: 'Threshold' },
  multiplier: { th: 'ตัวคูณแต้ม (%)', en: 'Earn multiplier (%)' },
  addTier: { th: 'เพิ่มระดับ', en: 'Add tier' },
  removeTier: { th: 'ลบระดับ', en: 'Remove tier' },
  tierSample: { th: 'ลองกับสมาชิกที่มี', en: 'Try a member with' },
  tierPreview: { th: 'ระดับที่ได้', en: 'Tier preview' },
  saveTiers: { th: 'บันทึกระดับสมาชิก', en: 'Save tiers' },
  rewards: { th: 'ของรางวัล', en: 'Rewards' },
  rewardsAndCoupons: { th: 'ของรางวัลและคูปอง', en: 'Rewards and coupons' },
  rewardsCatalogue: { th: 'รายการของรางวัล', en: 'Rewards catalogue' },
  rewardKind: { th: 'ชนิด', en: 'Kind' },
  kind_amount_off: { th: 'ส่วนลดเงินบาท', en: 'Amount off' },
  kind_percent_off: { th: 'ส่วนลดเปอร์เซ็นต์', en: 'Percent off' },
  kind_free_item: { th: 'ของฟรี', en: 'Free item' },
  kind_gift: { th: 'ของขวัญ', en: 'Gift' },
  costPoints: { th: 'ใช้แต้ม', en: 'Points' },
  stockLeft: { th: 'คงเหลือ', en: 'Left' },
  stock: { th: 'จำนวนทั้งหมด (ว่าง = ไม่จำกัด)', en: 'Stock (empty: unlimited)' },
  signupGift: { th: 'ของขวัญสมาชิกใหม่', en: 'sign-up gift' },
  addReward: { th: 'เพิ่มของรางวัล', en: 'Add reward' },
  nameTh: { th: 'ชื่อภาษาไทย', en: 'Name in Thai' },
  nameEn: { th: 'ชื่อภาษาอังกฤษ', en: 'Name in English' },
  valueBaht: { th: 'มูลค่า (บาท)', en: 'Value (baht)' },
  percentOff: { th: 'ส่วนลด (%)', en: 'Percent off' },
  couponDesk: { th: 'ค้นหาคูปอง', en: 'Find a coupon' },
  couponCode: { th: 'รหัสคูปอง', en: 'Coupon code' },
  coupon: { th: 'คูปอง', en: 'Coupon' },
  member: { th: 'สมาชิก', en: 'Member' },
  cancelCoupon: { th: 'ยกเลิกคูปอง', en: 'Cancel coupon' },
  analytics: { th: 'วิเคราะห์', en: 'Analytics' },
  funnelBuilder: { th: 'สร้างฟันเนล', en: 'Funnel builder' },
  fromDate: { th: 'ตั้งแต่วันที่', en: 'From' },
  toDate: { th: 'ถึงวันที่', en: 'To' },
  windowDays: { th: 'ภายใน (วัน)', en: 'Within (days)' },
  step: { th: 'ขั้นที่', en: 'Step' },
  addStep: { th: 'เพิ่มขั้น', en: 'Add step' },
  removeStep: { th: 'ลบขั้นสุดท้าย', en: 'Remove last step' },
  runFunnel: { th: 'ดูผล', en: 'Run' },
  funnel: { th: 'ฟันเนล', en: 'Funnel' },
  funnelSteps: { th: 'ขั้นของฟันเนล', en: 'Funnel steps' },
  people: { th: 'คน', en: 'people' },
  fromPrevious: { th: 'จากขั้นก่อน', en: 'From previous' },
  medianTime: { th: 'เวลามัธยฐาน', en: 'Median time' },
  timeToConvert: { th: 'เวลาจนสำเร็จ', en: 'Time to convert' },
  retention: { th: 'การกลับมาซื้อซ้ำ (รายสัปดาห์)', en: 'Retention (weekly)' },
  retentionHelp: { th: 'กลุ่มตามสัปดาห์ที่ซื้อครั้งแรก และสัดส่วนที่กลับมาซื้อในแต่ละสัปดาห์ถัดไป', en: 'Customers grouped by the week of their first order, and the share who ordered again in each later week' },
  cohort: { th: 'กลุ่ม', en: 'Cohort' },
  weekShort: { th: 'สัปดาห์', en: 'Week' },
  journeyStage: { th: 'ขั้นของเส้นทางลูกค้า', en: 'Journey stage' },
  atRisk: { th: 'เสี่ยงหาย', en: 'at risk' },
  timeline: { th: 'ไทม์ไลน์', en: 'Timeline' },
  coupons: { th: 'คูปอง', en: 'Coupons' },
  referralsMade: { th: 'เพื่อนที่แนะนำ', en: 'Friends referred' },
  contentShared: { th: 'รูปและรีวิว', en: 'Photos and reviews' },
  scanCard: { th: 'สแกนบัตรสมาชิก', en: 'Scan member card' },
  cameraUnavailable: { th: 'เปิดกล้องไม่ได้', en: 'The camera is not available' },
  cancel: { th: 'ยกเลิก', en: 'Cancel' },
  cardScanned: { th: 'สแกนบัตรสมาชิกแล้ว', en: 'Member card scanned' },
  notACard: { th: 'QR นี้ไม่ใช่บัตรสมาชิก', en: 'This QR code is not a member card' },
  usePhone: { th: 'ใช้เบอร์โทรแทน', en: 'Use a phone number instead' },
} as const;

export type TextKey = keyof typeof texts;

// What the API sends as codes (a transaction kind, a status, a role), as people read them.
const valueTexts: Record<string, { th: string; en: string }> = {
  earn: { th: 'ได้รับแต้ม', en: 'earned' },
  spend: { th: 'ใช้แต้ม', en: 'spent' },
  transfer: { th: 'โอนแต้ม', en: 'transfer' },
  adjust: { th: 'ปรับแต้ม', en: 'adjustment' },
  reverse: { th: 'คืนรายการ', en: 'reversal' },
  reserve: { th: 'กันแต้ม', en: 'held' },
  reservation_commit: { th: 'ใช้แต้มที่กันไว้', en: 'held points spent' },
  reservation_void: { th: 'คืนแต้มที่กันไว้', en: 'hold released' },
  reservation_expire: { th: 'การกันแต้มหมดเวลา', en: 'hold expired' },
  expire: { th: 'แต้มหมดอายุ', en: 'expired' },
  pending: { th: 'รอดำเนินการ', en: 'pending' },
  issued: { th: 'พร้อมใช้', en: 'issued' },
  consumed: { th: 'ใช้แล้ว', en: 'consumed' },
  cancelled: { th: 'ยกเลิกแล้ว', en: 'cancelled' },
  expired: { th: 'หมดอายุ', en: 'expired' },
  failed: { th: 'ไม่สำเร็จ', en: 'failed' },
  approved: { th: 'อนุมัติแล้ว', en: 'approved' },
  rejected: { th: 'ไม่ผ่าน', en: 'rejected' },
  flagged: { th: 'รอตรวจสอบ', en: 'flagged' },
  converted: { th: 'สำเร็จ', en: 'converted' },
  photo: { th: 'รูปภาพ', en: 'photo' },
  video: { th: 'วิดีโอ', en: 'video' },
  review: { th: 'รีวิว', en: 'review' },
  social_post: { th: 'โพสต์โซเชียล', en: 'social post' },
  owner: { th: 'เจ้าของ', en: 'owner' },
  manager: { th: 'ผู้จัดการ', en: 'manager' },
  cashier: { th: 'แคชเชียร์', en: 'cashier' },
  secret: { th: 'คีย์ลับ', en: 'secret' },
  write: { th: 'คีย์เขียน', en: 'write' },
  disabled: { th: 'ปิดใช้งาน', en: 'disabled' },
};

/** A code from the API in the reader's language; an unknown code is shown as it is. */
export function tv(value: string, language: Language): string {
  return valueTexts[value]?.[language] ?? value;
}

export function currentLanguage(): Language {
  return localStorage.getItem('sentang.language') === 'en' ? 'en' : 'th';
}

export function setLanguage(language: Language): void {
  localStorage.setItem('sentang.language', language);
}

export function t(key: TextKey, language: Language): string {
  return texts[key][language];
}

export function formatBaht(satang: number, language: Language): string {
  return new Intl.NumberFormat(language === 'th' ? 'th-TH' : 'en-TH', { style: 'currency', currency: 'THB' }).format(satang / 100);
}

/**
 * A date as people write it: in Thai the Buddhist era with a four-digit year ("15 ม.ค. 2569"), in
 * English "15 Jan 2026"; in the shop's time zone, so a date never shifts with the phone's zone.
 */
const dateLocale = (language: Language) => (language === 'th' ? 'th-TH-u-ca-buddhist' : 'en-GB');

export function formatDate(iso: string, language: Language, timeZone: string): string {
  return new Intl.DateTimeFormat(dateLocale(language), { day: 'numeric', month: 'short', year: 'numeric', timeZone }).format(new Date(iso));
}

export function formatDateTime(iso: string, language: Language, timeZone: string): string {
  return new Intl.DateTimeFormat(dateLocale(language), { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone }).format(new Date(iso));
}

export function formatPoints(points: number, language: Language): string {
  return new Intl.NumberFormat(language === 'th' ? 'th-TH' : 'en-US').format(points);
}
