import type { Language } from '../i18n';

// Every string of the member portal, Thai first.
const texts = {
  memberCard: { th: 'บัตรสมาชิก', en: 'Member card' },
  signInTitle: { th: 'เข้าสู่บัตรสมาชิก', en: 'Open your member card' },
  signInHelp: { th: 'เปิดลิงก์ที่ร้านส่งให้คุณทาง LINE หรือแอปของร้านเพื่อเข้าสู่ระบบ', en: "Open the link the shop sent you in LINE or in the shop's app to sign in." },
  tryDemo: { th: 'ลองใช้ในฐานะสมาชิกตัวอย่าง', en: 'Try it as the demo member' },
  available: { th: 'แต้มที่ใช้ได้', en: 'Points available' },
  pending: { th: 'แต้มรอยืนยัน', en: 'Pending points' },
  expiringSoon: { th: 'แต้มใกล้หมดอายุ', en: 'Points expiring soon' },
  expiresOn: { th: 'หมดอายุ', en: 'expire on' },
  nothingExpiring: { th: 'ไม่มีแต้มหมดอายุใน 30 วัน', en: 'No points expire in the next 30 days' },
  showAtCounter: { th: 'แสดง QR นี้ที่เคาน์เตอร์เพื่อสะสมแต้ม', en: 'Show this QR code at the counter to collect points' },
  tier: { th: 'ระดับสมาชิก', en: 'Tier' },
  history: { th: 'ประวัติ', en: 'History' },
  noHistory: { th: 'ยังไม่มีรายการ', en: 'Nothing yet' },
  rewards: { th: 'ของรางวัล', en: 'Rewards' },
  redeemFor: { th: 'แลก', en: 'Redeem for' },
  points: { th: 'แต้ม', en: 'points' },
  confirmRedeem: { th: 'ยืนยันการแลก', en: 'Confirm redemption' },
  cancel: { th: 'ยกเลิก', en: 'Cancel' },
  myCoupons: { th: 'คูปองของฉัน', en: 'My coupons' },
  noCoupons: { th: 'ยังไม่มีคูปอง', en: 'No coupons yet' },
  useAtCounter: { th: 'ใช้ที่เคาน์เตอร์', en: 'Use at the counter' },
  counterCodeHelp: { th: 'บอกรหัสนี้กับพนักงาน ใช้ได้ 5 นาที', en: 'Tell the cashier this code; it works for 5 minutes' },
  validUntil: { th: 'ใช้ได้ถึง', en: 'valid until' },
  couponStatus_issued: { th: 'พร้อมใช้', en: 'Ready to use' },
  couponStatus_consumed: { th: 'ใช้แล้ว', en: 'Used' },
  couponStatus_pending: { th: 'กำลังดำเนินการ', en: 'Processing' },
  couponStatus_cancelled: { th: 'ยกเลิกแล้ว', en: 'Cancelled' },
  couponStatus_expired: { th: 'หมดอายุ', en: 'Expired' },
  couponStatus_failed: { th: 'ไม่สำเร็จ', en: 'Failed' },
  transfer: { th: 'โอนแต้ม', en: 'Send points' },
  recipientPhone: { th: 'เบอร์โทรของผู้รับ', en: "Recipient's phone number" },
  pointsToSend: { th: 'จำนวนแต้ม', en: 'Points to send' },
  next: { th: 'ถัดไป', en: 'Next' },
  confirmTransfer: { th: 'ยืนยันการโอน', en: 'Confirm and send' },
  sendTo: { th: 'โอนให้', en: 'Send to' },
  sent: { th: 'โอนแต้มแล้ว', en: 'Points sent' },
  limits: { th: 'เงื่อนไขของร้าน', en: "The shop's limits" },
  minPerTransfer: { th: 'ขั้นต่ำต่อครั้ง', en: 'at least' },
  maxPerTransfer: { th: 'สูงสุดต่อครั้ง', en: 'at most' },
  maxPerMonth: { th: 'สูงสุดต่อเดือน', en: 'a month at most' },
  invite: { th: 'ชวนเพื่อน', en: 'Invite friends' },
  inviteHelp: { th: 'ส่งลิงก์นี้ให้เพื่อน เมื่อเพื่อนสมัครและซื้อครั้งแรก คุณได้รับแต้ม', en: 'Send your friends this link: when they join and buy, you earn points' },
  shareLine: { th: 'แชร์ทาง LINE', en: 'Share on LINE' },
  shareFacebook: { th: 'แชร์ทาง Facebook', en: 'Share on Facebook' },
  copyLink: { th: 'คัดลอกลิงก์', en: 'Copy link' },
  copied: { th: 'คัดลอกแล้ว', en: 'Copied' },
  share: { th: 'แชร์รูปและรีวิว', en: 'Share a photo or review' },
  kind: { th: 'ประเภท', en: 'What' },
  kind_photo: { th: 'รูปภาพ', en: 'Photo' },
  kind_video: { th: 'วิดีโอ', en: 'Video' },
  kind_review: { th: 'รีวิว', en: 'Review' },
  file: { th: 'ไฟล์', en: 'File' },
  rating: { th: 'คะแนน (1–5)', en: 'Rating (1–5)' },
  yourWords: { th: 'ข้อความ', en: 'Your words' },
  publicConsent: { th: 'อนุญาตให้ร้านแสดงบนเว็บไซต์', en: "The shop may show it on its website" },
  submit: { th: 'ส่ง', en: 'Send' },
  withdrawConsent: { th: 'ไม่ให้แสดงบนเว็บไซต์', en: 'Stop showing it on the website' },
  submitted: { th: 'ส่งแล้ว รอร้านตรวจสอบ', en: 'Sent; the shop will review it' },
  status_pending: { th: 'รอตรวจ', en: 'Waiting for review' },
  status_approved: { th: 'อนุมัติแล้ว', en: 'Approved' },
  status_rejected: { th: 'ไม่ผ่าน', en: 'Not approved' },
  settings: { th: 'ตั้งค่า', en: 'Settings' },
  marketingConsent: { th: 'รับข่าวสารและโปรโมชันจากร้าน', en: 'Send me news and offers from the shop' },
  consentSaved: { th: 'บันทึกแล้ว', en: 'Saved' },
  signOut: { th: 'ออกจากระบบ', en: 'Sign out' },
  language: { th: 'ภาษา', en: 'Language' },
} as const;

export type PortalTextKey = keyof typeof texts;

export function pt(key: PortalTextKey, language: Language): string {
  return texts[key][language];
}

/** For keys made from data (a status, a kind): falls back to the raw value when there is no text. */
export function ptOr(key: string, fallback: string, language: Language): string {
  return key in texts ? texts[key as PortalTextKey][language] : fallback;
}
