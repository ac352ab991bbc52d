import { expect } from 'vitest';
import { createApiKey } from '../../src/services/keys/create-api-key';
import type { TestEnv, TestMerchant } from './stores';

export function basicAuth(key: string): string {
  return `Basic ${Buffer.from(`${key}:`).toString('base64')}`;
}

/** A new merchant with a write key, and a way to send it a Segment batch that must be accepted. */
export async function merchantWithWriteKey(env: TestEnv): Promise<{ m: TestMerchant; writeKey: string; send(batch: Record<string, unknown>[]): Promise<void> }> {
  const m = await env.newMerchant();
  const writeKey = (await createApiKey(env.ctx, m.merchantId, { kind: 'write' })).secret;
  return {
    m,
    writeKey,
    async send(batch) {
      const response = await env.app.inject({ method: 'POST', url: '/v1/batch', payload: { batch }, headers: { authorization: basicAuth(writeKey) } });
      expect(response.statusCode, response.body).toBe(200);
    },
  };
}
