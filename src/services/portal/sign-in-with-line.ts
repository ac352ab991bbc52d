import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { DomainError } from '../../domain/errors';
import { findMemberBy } from '../../store/member-store';
import { findMerchantBySlug } from '../../store/merchant-store';
import type { ServiceContext } from '../context';
import { createMember } from '../members/create-member';
import { startMemberSession, type MemberSignIn } from './member-sessions';

/** LINE's signing keys for the ID tokens of LIFF apps (ES256); a test points this at its own. */
export const defaultLineJwksUrl = 'https://api.line.me/oauth2/v2.1/certs';
const lineIssuer = 'https://access.line.me';

// One key set per URL: jose caches the keys and refetches when a token names an unknown key id.
const keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();
function keySetFor(url: string) {
  let keySet = keySets.get(url);
  if (!keySet) {
    keySet = createRemoteJWKSet(new URL(url), { timeoutDuration: 5_000, cooldownDuration: 30_000 });
    keySets.set(url, keySet);
  }
  return keySet;
}

/** The LIFF app a merchant's portal starts in LINE, for the page to call `liff.init`. */
export async function getLineLogin(ctx: ServiceContext, merchantSlug: string): Promise<{ liffId: string }> {
  const merchant = await findMerchantBySlug(ctx.store.db, merchantSlug);
  if (!merchant?.liff_id || !merchant.line_channel_id) throw new DomainError('not_found', 'This shop has not turned on LINE sign-in');
  return { liffId: merchant.liff_id };
}

/**
 * Signs a member in with the ID token the merchant's LIFF app got from LINE: the token must be
 * signed by LINE (ES256), issued for the merchant's LINE Login channel and unexpired. The member is
 * the one with that LINE user id; someone new joins as a member (name from their LINE profile).
 * The key fetch happens before any transaction.
 */
export async function signInWithLine(ctx: ServiceContext, input: { merchantSlug: string; idToken: string; jwksUrl: string }): Promise<MemberSignIn> {
  const merchant = await findMerchantBySlug(ctx.store.db, input.merchantSlug);
  if (!merchant?.line_channel_id) throw new DomainError('not_found', 'This shop has not turned on LINE sign-in');
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(input.idToken, keySetFor(input.jwksUrl), {
      issuer: lineIssuer, audience: merchant.line_channel_id, algorithms: ['ES256'], currentDate: new Date(ctx.nowMs()),
    }));
  } catch (error) {
    if (error instanceof joseErrors.JOSEError) throw new DomainError('unauthorized', `The LINE ID token was refused (${error.code}); open the page from LINE again`);
    throw error;
  }
  const lineUserId = payload.sub;
  if (!lineUserId) throw new DomainError('unauthorized', 'The LINE ID token names no user');
  let member = await findMemberBy(ctx.store.db, merchant.id, 'line_user_id', lineUserId);
  if (!member) {
    const name = typeof payload.name === 'string' ? payload.name.slice(0, 200) : null;
    try {
      await createMember(ctx, merchant.id, { lineUserId, name });
    } catch (error) {
      if (!(error instanceof DomainError && error.code === 'member_conflict')) throw error; // the same person, signing in twice at once
    }
    member = await findMemberBy(ctx.store.db, merchant.id, 'line_user_id', lineUserId);
  }
  if (!member) throw new Error('the member for a LINE user could not be made');
  return startMemberSession(ctx, merchant.id, member.id);
}
