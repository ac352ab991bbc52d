// Calls to the API as the signed-in staff member: the session cookie goes along by itself, the
// CSRF token is sent with every change.
export interface Staff { id: string; email: string; name: string; role: 'owner' | 'manager' | 'cashier' }

let csrfToken = '';

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
}

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(path, {
    method, credentials: 'same-origin',
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(method !== 'GET' ? { 'x-csrf-token': csrfToken } : {}) },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  const json = text ? JSON.parse(text) : null;
  if (!response.ok) throw new ApiError(response.status, json?.error?.code ?? 'error', json?.error?.message ?? response.statusText);
  return json as T;
}

export async function whoAmI(): Promise<Staff | null> {
  try {
    const me = await call<{ staff: Staff; csrfToken: string }>('GET', '/auth/me');
    csrfToken = me.csrfToken;
    return me.staff;
  } catch {
    return null;
  }
}

export async function signIn(email: string, password: string): Promise<Staff> {
  const session = await call<{ staff: Staff; csrfToken: string }>('POST', '/auth/login', { email, password });
  csrfToken = session.csrfToken;
  return session.staff;
}

export async function signOut(): Promise<void> {
  await call('POST', '/auth/logout');
  csrfToken = '';
}

export interface SaleResult { memberId: string; newMember: boolean; pointsAwarded: number; balance: { availablePoints: number } }

/** The member by phone number or by the QR code of their member card. */
export function recordSale(member: { phone: string } | { memberCard: string }, amountSatang: number, saleId: string): Promise<SaleResult> {
  return call('POST', '/api/v1/counter/sales', { ...member, amountSatang, saleId });
}

export function redeemCounterCode(counterCode: string): Promise<{ code: string; kind: string }> {
  return call('POST', '/api/v1/counter/redeem', { counterCode });
}

export function get<T>(path: string): Promise<T> {
  return call<T>('GET', path);
}

export function post<T>(path: string, body: unknown): Promise<T> {
  return call<T>('POST', path, body);
}

export function put<T>(path: string, body: unknown): Promise<T> {
  return call<T>('PUT', path, body);
}

export function patch<T>(path: string, body: unknown): Promise<T> {
  return call<T>('PATCH', path, body);
}
