import { describe, expect, it } from 'vitest';
import { correctedTimestampMs, parseSegmentMessage } from '../../src/domain/events/parse-segment-message';

const receivedAtMs = Date.parse('2026-05-01T12:00:00Z');
const context = { receivedAtMs, newMessageId: () => 'generated' };

describe('parseSegmentMessage', () => {
  it('reads a track call', () => {
    const parsed = parseSegmentMessage({ event: 'Order Completed', userId: 'u1', messageId: 'm1', properties: { revenue: 120 } }, 'track', context);
    expect(parsed).toMatchObject({ ok: true, event: { type: 'track', eventName: 'Order Completed', userId: 'u1', messageId: 'm1', properties: { revenue: 120 }, timestampMs: receivedAtMs } });
  });

  it('gives each kind of bad message its own reason', () => {
    const reason = (message: unknown, type: 'track' | 'alias' | 'group' | null = 'track') => {
      const parsed = parseSegmentMessage(message, type, context);
      return parsed.ok ? 'ok' : parsed.reason;
    };
    expect(reason('text')).toBe('a message must be a JSON object');
    expect(reason({ event: 'x' })).toBe('userId or anonymousId is required');
    expect(reason({ userId: 'u' })).toBe('a track message needs an event name');
    expect(reason({ userId: {}, event: 'x' })).toContain('userId must be');
    expect(reason({ userId: 'u', event: 'x', properties: [1] })).toBe('properties must be an object');
    expect(reason({ userId: 'u', event: 'x', timestamp: 'yesterday' })).toBe('timestamp must be an ISO 8601 date');
    expect(reason({ userId: 'u' }, 'alias')).toBe('an alias message needs userId and previousId');
    expect(reason({ userId: 'u' }, 'group')).toBe('a group message needs groupId');
    expect(reason({ userId: 'u', event: 'x', type: 'nope' }, null)).toContain('type must be one of');
  });

  it('accepts numeric ids and generates a messageId when none is sent', () => {
    const parsed = parseSegmentMessage({ type: 'identify', userId: 42, traits: { phone: '0812345678' } }, null, context);
    expect(parsed).toMatchObject({ ok: true, event: { userId: '42', messageId: 'generated', traits: { phone: '0812345678' } } });
  });

  it('corrects a client clock that runs an hour fast', () => {
    // The client thinks it is 13:00 when it is 12:00; the event happened 5 s before sending.
    const parsed = parseSegmentMessage({ event: 'x', anonymousId: 'a', timestamp: '2026-05-01T12:59:55Z', sentAt: '2026-05-01T13:00:00Z' }, 'track', context);
    expect(parsed.ok && new Date(parsed.event.timestampMs).toISOString()).toBe('2026-05-01T11:59:55.000Z');
  });

  it('uses the batch sentAt for messages without their own', () => {
    const parsed = parseSegmentMessage({ type: 'track', event: 'x', anonymousId: 'a', timestamp: '2026-05-01T09:00:00Z' }, null, { ...context, batchSentAt: '2026-05-01T09:00:10Z' });
    expect(parsed.ok && parsed.event.timestampMs).toBe(receivedAtMs - 10_000);
  });

  it('keeps a server timestamp without sentAt as it is', () => {
    expect(correctedTimestampMs({ timestampMs: 1000, originalTimestampMs: null, sentAtMs: null, receivedAtMs: 5000 })).toBe(1000);
    expect(correctedTimestampMs({ timestampMs: null, originalTimestampMs: null, sentAtMs: null, receivedAtMs: 5000 })).toBe(5000);
  });
});
