import { randomBytes } from 'node:crypto';
import { hashSecret } from '../hash-secret';
import { DomainError } from '../../domain/errors';
import { findMemberBy, findMemberById } from '../../store/member-store';
import { findMerchantBySlug } from '../../store/merchant-store';
import { deleteMemberSession, findMemberSession, insertMemberSession, insertSignInLink, useSignInLink } from '../../store/portal-store';
import type { ServiceContext } from '../context';
import { createMember } from '../members/create-member';

// A member stays signed in on their phone for 30 days; a sign-in link works once, briefly.
export const memberSessionLifetimeMs = 30 * 86_400_000;
export const defaultLinkLifetimeMs = 15 * 60_000;
export const maxLinkLifetimeMs = 7 * 86_400_000;

export interface MemberPrincipal {
  kind: 'member';
  merchantId: string;
  memberId: string;
  csrfToken: string;
}

export interface MemberSignIn {
  token: string;
  csrfToken: string;
  memberId: string;
  expiresAt: string;
}

/**
 * A one-time link into the member portal, for the merchant's backend to hand to a signed-in customer
 * (a LINE message, an app button, a LIFF redirect). Only a hash of the token is kept.
 */
export async function issueMemberSignInLink(ctx: ServiceContext, merchantId: string, memberId: string, input: { validForSeconds?: number | undefined }): Promise<{ token: string; path: string; expiresAt: string }> {
  if (!(await findMemberById(ctx.store.db, merchantId, memberId))) throw new DomainError('member_not_found', `No member ${memberId}`);
  const lifetimeMs = input.validForSeconds === undefined ? defaultLinkLifetimeMs : input.validForSeconds * 1000;
  if (!(lifetimeMs >= 60_000 && lifetimeMs <= maxLinkLifetimeMs)) throw new DomainError('invalid_request', 'validForSeconds must be between 60 and 604800 (7 days)');
  const token = `msl_${randomBytes(32).toString('base64url')}`;
  const nowMs = ctx.nowMs();
  const expiresAtMs = nowMs + lifetimeMs;
  await insertSignInLink(ctx.store.db, { token_hash: hashSecret(token), merchant_id: merchantId, member_id: memberId, created_at_ms: nowMs, expires_at_ms: expiresAtMs, used_at_ms: null });
  return { token, path: `/portal?token=${token}`, expiresAt: new Date(expiresAtMs).toISOString() };
}

/** A new member session: the cookie's token (only its hash is kept) and the page's CSRF token. */
export async function startMemberSession(ctx: ServiceContext, merchantId: string, memberId: string): Promise<MemberSignIn> {
  const token = randomBytes(32).toString('base64url');
  const csrfToken = randomBytes(24).toString('base64url');
  const nowMs = ctx.nowMs();
  const expiresAtMs = nowMs + memberSessionLifetimeMs;
  await insertMemberSession(ctx.store.db, { token_hash: hashSecret(token), merchant_id: merchantId, member_id: memberId, csrf_token: csrfToken, created_at_ms: nowMs, expires_at_ms: expiresAtMs });
  return { token, csrfToken, memberId, expiresAt: new Date(expiresAtMs).toISOString() };
}

/** Trades a sign-in link for a session; the link cannot be used again. */
export async function signInWithLink(ctx: ServiceContext, linkToken: string): Promise<MemberSignIn> {
  const link = await useSignInLink(ctx.store.db, hashSecret(linkToken), ctx.nowMs());
  if (!link) throw new DomainError('unauthorized', 'This sign-in link is unknown, expired or already used; ask the shop for a new one');
  return startMemberSession(ctx, link.merchant_id, link.member_id);
}

export const demoMemberExternalId = 'demo-member';
export const demoMemberTraits = { name: 'สมใจ ใจดี (demo)', phone: '+66899990000' } as const;

/**
 * The demo's member: signs in as the demo merchant's demo member (made on first use), so a newcomer
 * can try the portal without a merchant backend. Only registered when the demo is on.
 */
export async function signInAsDemoMember(ctx: ServiceContext, merchantSlug: string): Promise<MemberSignIn> {
  const merchant = await findMerchantBySlug(ctx.store.db, merchantSlug);
  if (!merchant) throw new DomainError('not_found', `No merchant ${merchantSlug}`);
  let member = await findMemberBy(ctx.store.db, merchant.id, 'external_id', demoMemberExternalId);
  if (!member) {
    // Normally the demo data made them, with their orders; without it they start empty. If a real
    // customer of the demo shop already has the demo phone number, the demo member goes without.
    for (const fields of [{ ...demoMemberTraits }, { name: demoMemberTraits.name }]) {
      try {
        await createMember(ctx, merchant.id, { externalId: demoMemberExternalId, ...fields });
      } catch (error) {
        if (!(error instanceof DomainError && error.code === 'member_conflict')) throw error;
      }
      member = await findMemberBy(ctx.store.db, merchant.id, 'external_id', demoMemberExternalId);
      if (member) break;
    }
  }
  if (!member) throw new Error('the demo member could not be made');
  return startMemberSession(ctx, merchant.id, member.id);
}

/** The member a session cookie belongs to, or null when it is unknown, expired or the member is gone. */
export async function authenticateMemberSession(ctx: ServiceContext, token: string): Promise<MemberPrincipal | null> {
  const session = await findMemberSession(ctx.store.db, hashSecret(token));
  if (!session || session.expires_at_ms <= ctx.nowMs()) return null;
  if (!(await findMemberById(ctx.store.db, session.merchant_id, session.member_id))) return null;
  return { kind: 'member', merchantId: session.merchant_id, memberId: session.member_id, csrfToken: session.csrf_token };
}

export async function signOutMember(ctx: ServiceContext, token: string): Promise<void> {
  await deleteMemberSession(ctx.store.db, hashSecret(token));
}
