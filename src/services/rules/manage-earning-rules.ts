import { DomainError } from '../../domain/errors';
import { basePoints, cappedPoints, ruleTemplates, type EarningRule } from '../../domain/rules/earning-rule';
import { findMemberById } from '../../store/member-store';
import { findMerchantById } from '../../store/merchant-store';
import { findPastAwards, findRule, insertRule, listRules, ruleToRow, updateRule } from '../../store/rules-store';
import type { ServiceContext } from '../context';

export type EarningRuleInput = Omit<EarningRule, 'id'>;

/**
 * Creates an earning rule, from scratch or from a template with overrides.
 * @example await createEarningRule(ctx, merchantId, { template: 'purchase' })
 */
export async function createEarningRule(ctx: ServiceContext, merchantId: string, input: Partial<EarningRuleInput> & { template?: string | undefined }): Promise<EarningRule> {
  const { template, ...overrides } = input;
  const base = template ? ruleTemplates[template] : undefined;
  if (template && !base) throw new DomainError('invalid_request', `Unknown template "${template}"; known: ${Object.keys(ruleTemplates).join(', ')}`);
  const merged = { active: true, conditions: [], caps: {}, startsAtMs: null, endsAtMs: null, pendingDays: 0, expiresInDays: null, ...base, ...definedOnly(overrides) };
  if (!merged.name || !merged.event || !merged.award) throw new DomainError('invalid_request', 'A rule needs name, event and award (or a template)');
  const rule = { ...merged, id: ctx.newId('rul') } as EarningRule;
  await insertRule(ctx.store.db, ruleToRow(merchantId, rule, ctx.nowMs()));
  return rule;
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export function listEarningRules(ctx: ServiceContext, merchantId: string): Promise<EarningRule[]> {
  return listRules(ctx.store.db, merchantId);
}

/** Changes a rule from now on; awards already decided stay as they are. */
export async function updateEarningRule(ctx: ServiceContext, merchantId: string, ruleId: string, changes: Partial<EarningRuleInput>): Promise<EarningRule> {
  const current = await findRule(ctx.store.db, merchantId, ruleId);
  if (!current) throw new DomainError('not_found', `No earning rule ${ruleId}`);
  const rule = { ...current, ...definedOnly(changes) };
  const { created_at_ms: _created, ...row } = ruleToRow(merchantId, rule, ctx.nowMs());
  await updateRule(ctx.store.db, merchantId, ruleId, row);
  return rule;
}

export type DraftRule = Pick<EarningRule, 'name' | 'event' | 'conditions' | 'award' | 'caps'>;

/**
 * Which rules an event matches and what each gives (after the member's caps, when a member is named).
 * With a `draft` only that unsaved rule is tried: the editor's live preview, by the same code that awards.
 */
export async function previewEarningRules(ctx: ServiceContext, merchantId: string, input: { event: string; properties?: Record<string, unknown> | undefined; timestampMs?: number | undefined; memberId?: string | undefined; draft?: DraftRule | undefined }) {
  const merchant = await findMerchantById(ctx.store.db, merchantId);
  if (!merchant) throw new DomainError('merchant_not_found', `No merchant ${merchantId}`);
  if (input.memberId && !(await findMemberById(ctx.store.db, merchantId, input.memberId))) {
    throw new DomainError('member_not_found', `No member ${input.memberId}`, { memberId: input.memberId });
  }
  const atMs = input.timestampMs ?? ctx.nowMs();
  const event = { name: input.event, type: 'track', properties: input.properties ?? null, timestampMs: atMs };
  const matches = [];
  const rules: EarningRule[] = input.draft
    ? [{ ...input.draft, id: 'draft', startsAtMs: null, endsAtMs: null, pendingDays: 0, expiresInDays: null, active: true }]
    : await listRules(ctx.store.db, merchantId, true);
  for (const rule of rules) {
    const points = basePoints(rule, event);
    if (points <= 0) continue;
    const past = input.memberId ? await findPastAwards(ctx.store.db, merchantId, input.memberId, rule.id, Number.NEGATIVE_INFINITY) : [];
    matches.push({ ruleId: rule.id, name: rule.name, points, pointsAfterCaps: cappedPoints(rule, points, atMs, past, merchant.time_zone) });
  }
  return { matches, totalPoints: matches.reduce((sum, match) => sum + match.pointsAfterCaps, 0) };
}
