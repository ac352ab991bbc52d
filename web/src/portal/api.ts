// Calls to the portal API as the signed-in member: the session cookie goes along by itself, the
// CSRF token with every change.
export interface Balance {
  availablePoints: number; pendingPoints: number; reservedPoints: number; expiringWithin30DaysPoints: number;
  expiring: { expiresAt: string; lastUsableDate: string; points: number }[];
}
export interface MemberCard {
  member: { id: string; name: string | null; phone: string | null; phoneDisplay: string | null; email: string | null; memberSince: string };
  merchant: { name: string; slug: string; timeZone: string; currency: string; transferLimits: { minPoints: number; maxPoints: number | null; maxPointsPerMonth: number | null } };
  tier: { key: string; name: string; benefits: string } | null;
  balance: Balance;
  cardCode: string;
  referral: { code: string; link: string };
  consent: { marketing: boolean; updatedAt: string | null };
  csrfToken: string;
}
export interface Reward { id: string; nameTh: string; nameEn: string; descriptionTh: string; descriptionEn: string; imageUrl: string | null; costPoints: number; stockRemaining: number | null }
export interface Coupon { id: string; code: string; rewardId: string; status: string; pointsCost: number; issuedAt: string; expiresAt: string; consumedAt: string | null }
export interface HistoryLine { id: string; kind: string; reason: string | null; createdAt: string; walletChange: number }
export interface SharedItem { id: string; kind: string; status: string; text: string | null; rating: number | null; consent: boolean; submittedAt: string }

let csrfToken = '';

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

async function call<T>(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<T> {
  const raw = body instanceof Blob;
  const response = await fetch(path, {
    method, credentials: 'same-origin',
    headers: { ...(body !== undefined ? { 'content-type': contentType } : {}), ...(method !== 'GET' ? { 'x-csrf-token': csrfToken } : {}) },
    ...(body !== undefined ? { body: raw ? body : JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  const json = text ? JSON.parse(text) : null;
  if (!response.ok) throw new ApiError(response.status, json?.error?.code ?? 'error', json?.error?.message ?? response.statusText);
  return json as T;
}

export async function signInWithToken(token: string): Promise<void> {
  csrfToken = (await call<{ csrfToken: string }>('POST', '/portal/api/session', { token })).csrfToken;
}

/** The LIFF app of the shop, or null when it has not turned LINE sign-in on. */
export async function lineLoginOf(merchant: string): Promise<{ liffId: string } | null> {
  try {
    return await call<{ liffId: string }>('GET', `/portal/api/line-login?merchant=${encodeURIComponent(merchant)}`);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return null;
    throw error;
  }
}

export async function signInWithLine(merchant: string, idToken: string): Promise<void> {
  csrfToken = (await call<{ csrfToken: string }>('POST', '/portal/api/line-session', { merchant, idToken })).csrfToken;
}

export async function signInAsDemo(): Promise<void> {
  csrfToken = (await call<{ csrfToken: string }>('POST', '/portal/api/demo-session')).csrfToken;
}

export async function loadCard(): Promise<MemberCard | null> {
  try {
    const card = await call<MemberCard>('GET', '/portal/api/me');
    csrfToken = card.csrfToken;
    return card;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

export const signOut = () => call<null>('POST', '/portal/api/sign-out');
export const loadHistory = () => call<{ transactions: HistoryLine[] }>('GET', '/portal/api/history?limit=50');
export const loadRewards = () => call<{ rewards: Reward[] }>('GET', '/portal/api/rewards');
export const loadCoupons = () => call<{ coupons: Coupon[] }>('GET', '/portal/api/coupons');
export const redeem = (rewardId: string, requestId: string) => call<Coupon>('POST', `/portal/api/rewards/${encodeURIComponent(rewardId)}/redeem`, { requestId });
export const counterCodeFor = (code: string) => call<{ counterCode: string; expiresAt: string }>('POST', `/portal/api/coupons/${encodeURIComponent(code)}/counter-code`);
export const findRecipient = (phone: string) => call<{ phone: string; phoneDisplay: string; name: string | null }>('GET', `/portal/api/transfer-recipient?phone=${encodeURIComponent(phone)}`);
export const sendPoints = (input: { phone: string; points: number; requestId: string }) => call<{ balance: Balance | null }>('POST', '/portal/api/transfers', input);
export const setConsent = (marketing: boolean) => call<{ marketing: boolean; updatedAt: string }>('PUT', '/portal/api/consent', { marketing });
export const uploadMedia = (file: File) => call<{ uploadId: string; mediaType: string }>('POST', '/portal/api/ugc/uploads', file, file.type || 'application/octet-stream');
export const shareContent = (input: { kind: string; uploadId?: string; rating?: number; text?: string; consent: boolean }) => call<SharedItem>('POST', '/portal/api/ugc', input);
export const loadShared = () => call<{ items: SharedItem[] }>('GET', '/portal/api/ugc?limit=20');
export const withdrawConsent = (id: string) => call<SharedItem>('POST', `/portal/api/ugc/${encodeURIComponent(id)}/withdraw-consent`);
