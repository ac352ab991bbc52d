import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ServiceContext } from '../../services/context';
import { createEarningRule, listEarningRules, previewEarningRules, updateEarningRule, type DraftRule } from '../../services/rules/manage-earning-rules';
import { ruleTemplates } from '../../domain/rules/earning-rule';
import { merchantIdOf } from '../auth';
import { commonErrors, errorBody, id, idParams, isoDateTime } from '../schemas';

const period = z.enum(['day', 'week', 'month']);
const condition = z.strictObject({ property: z.string().min(1).max(200), op: z.enum(['eq', 'in', 'gte', 'lte', 'contains']), value: z.unknown() });
const award = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('fixed'), points: z.number().int().min(1).max(1_000_000) }),
  z.strictObject({
    kind: z.literal('per_amount'), property: z.string().min(1).max(100).describe('revenue, total, subtotal, …'),
    unitAmount: z.number().positive().max(1_000_000).describe('e.g. 25 for 1 point per 25 THB'), pointsPerUnit: z.number().int().min(1).max(1000),
    rounding: z.enum(['floor', 'round', 'ceil']),
  }),
]);
const caps = z.strictObject({
  oncePerMember: z.boolean().optional(),
  maxTimes: z.strictObject({ count: z.number().int().min(1).max(10_000), period }).optional(),
  maxPoints: z.strictObject({ points: z.number().int().min(1).max(100_000_000), period }).optional(),
}).describe('Periods are calendar days, weeks (from Monday) and months in the merchant time zone');
const ruleFields = {
  name: z.string().trim().min(1).max(200),
  event: z.string().min(1).max(255).describe('The trigger event, e.g. Order Completed or Stage Entered'),
  conditions: z.array(condition).max(20),
  award,
  caps,
  startsAt: isoDateTime.nullable(),
  endsAt: isoDateTime.nullable(),
  pendingDays: z.number().int().min(0).max(365),
  expiresInDays: z.number().int().min(1).max(3650).nullable().describe("Overrides the merchant's expiry policy"),
  active: z.boolean(),
};
const ruleSchema = z.object({ id: z.string(), ...ruleFields, caps: z.record(z.string(), z.unknown()) }).meta({ id: 'EarningRule' });
const createBody = z.strictObject({
  template: z.enum(Object.keys(ruleTemplates) as [string, ...string[]]).optional().describe('Start from a ready-made rule'),
  ...Object.fromEntries(Object.entries(ruleFields).map(([key, schema]) => [key, schema.optional()])) as { [K in keyof typeof ruleFields]: z.ZodOptional<(typeof ruleFields)[K]> },
});
const patchBody = z.strictObject(Object.fromEntries(Object.entries(ruleFields).map(([key, schema]) => [key, schema.optional()])) as { [K in keyof typeof ruleFields]: z.ZodOptional<(typeof ruleFields)[K]> });

const ms = (value: string | null | undefined) => (value === undefined ? undefined : value === null ? null : Date.parse(value));
const toView = (rule: Awaited<ReturnType<typeof listEarningRules>>[number]) => ({
  id: rule.id, name: rule.name, event: rule.event, conditions: rule.conditions, award: rule.award, caps: rule.caps,
  startsAt: rule.startsAtMs === null ? null : new Date(rule.startsAtMs).toISOString(), endsAt: rule.endsAtMs === null ? null : new Date(rule.endsAtMs).toISOString(),
  pendingDays: rule.pendingDays, expiresInDays: rule.expiresInDays, active: rule.active,
});
function toInput(body: Record<string, unknown>) {
  const { startsAt, endsAt, ...rest } = body as { startsAt?: string | null; endsAt?: string | null };
  return { ...rest, startsAtMs: ms(startsAt), endsAtMs: ms(endsAt) } as never;
}

export const rulesRoutes = (ctx: ServiceContext): FastifyPluginAsync => async (plain) => {
  const app = plain.withTypeProvider<ZodTypeProvider>();
  const errors = { ...commonErrors, 422: errorBody };
  app.get('/rules', {
    schema: { tags: ['rules'], summary: 'Earning rules', response: { 200: z.object({ rules: z.array(ruleSchema) }), ...errors } },
  }, async (request) => ({ rules: (await listEarningRules(ctx, merchantIdOf(request))).map(toView) }));

  app.post('/rules', {
    schema: { tags: ['rules'], summary: 'Create an earning rule, or start from a template', body: createBody, response: { 201: ruleSchema, ...errors } },
  }, async (request, reply) => reply.code(201).send(toView(await createEarningRule(ctx, merchantIdOf(request), toInput(request.body)))));

  app.patch('/rules/:id', {
    schema: { tags: ['rules'], summary: 'Change an earning rule (from now on)', params: idParams, body: patchBody, response: { 200: ruleSchema, ...errors } },
  }, async (request) => toView(await updateEarningRule(ctx, merchantIdOf(request), request.params.id, toInput(request.body))));

  app.post('/rules/preview', {
    schema: {
      tags: ['rules'], summary: 'Which rules an event matches and the points each would give',
      body: z.strictObject({
        event: z.string().min(1).max(255), properties: z.record(z.string(), z.unknown()).optional(), timestamp: isoDateTime.optional(), memberId: id.optional(),
        draft: z.strictObject({ name: ruleFields.name, event: ruleFields.event, conditions: ruleFields.conditions, award, caps }).optional()
          .describe('An unsaved rule to try instead of the saved ones: the live preview of the rule editor'),
      }),
      response: { 200: z.object({ matches: z.array(z.object({ ruleId: z.string(), name: z.string(), points: z.number().int(), pointsAfterCaps: z.number().int() })), totalPoints: z.number().int() }), ...errors },
    },
  }, async (request) => previewEarningRules(ctx, merchantIdOf(request), {
    event: request.body.event, properties: request.body.properties, memberId: request.body.memberId, timestampMs: ms(request.body.timestamp) ?? undefined,
    draft: request.body.draft as DraftRule | undefined,
  }));
};
