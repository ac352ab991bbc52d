// Reads one message of the Segment HTTP Tracking API (track, identify, page, screen, group, alias)
// into the event Sentang stores, or says in a sentence what is wrong with it. Pure.
export const segmentMessageTypes = ['track', 'identify', 'page', 'screen', 'group', 'alias'] as const;
export type SegmentMessageType = (typeof segmentMessageTypes)[number];

export const maxMessageBytes = 32 * 1024;
export const maxBatchBytes = 500 * 1024;

export interface IngestedEvent {
  messageId: string;
  type: SegmentMessageType;
  eventName: string | null;
  userId: string | null;
  anonymousId: string | null;
  previousId: string | null;
  groupId: string | null;
  properties: Record<string, unknown> | null;
  traits: Record<string, unknown> | null;
  context: Record<string, unknown> | null;
  /** When it happened, corrected for the client's clock skew. */
  timestampMs: number;
  originalTimestampMs: number | null;
  sentAtMs: number | null;
  receivedAtMs: number;
}

export type ParsedMessage = { ok: true; event: IngestedEvent } | { ok: false; reason: string };

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Segment accepts string or number ids; everything else is refused. */
function idOf(value: unknown): string | null | undefined {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value.length > 0 && value.length <= 255 ? value : undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

function timeOf(value: unknown): number | null | undefined {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const ms = typeof value === 'number' ? value : Date.parse(value);
  return Number.isFinite(ms) ? ms : undefined;
}

/**
 * @param type the endpoint's type, or null for a message of a batch (which names its own `type`)
 * @param batchSentAt the batch's `sentAt`, used when the message has none
 */
export function parseSegmentMessage(
  message: unknown, type: SegmentMessageType | null, context: { receivedAtMs: number; batchSentAt?: unknown; newMessageId(): string },
): ParsedMessage {
  if (!isPlainObject(message)) return { ok: false, reason: 'a message must be a JSON object' };
  const messageType = type ?? message.type;
  if (typeof messageType !== 'string' || !(segmentMessageTypes as readonly string[]).includes(messageType)) {
    return { ok: false, reason: `type must be one of ${segmentMessageTypes.join(', ')}` };
  }
  const userId = idOf(message.userId);
  const anonymousId = idOf(message.anonymousId);
  if (userId === undefined) return { ok: false, reason: 'userId must be a string (1 to 255 characters) or a number' };
  if (anonymousId === undefined) return { ok: false, reason: 'anonymousId must be a string (1 to 255 characters) or a number' };
  if (userId === null && anonymousId === null) return { ok: false, reason: 'userId or anonymousId is required' };

  let eventName: string | null = null;
  if (messageType === 'track') {
    if (typeof message.event !== 'string' || message.event.trim() === '') return { ok: false, reason: 'a track message needs an event name' };
    eventName = message.event.slice(0, 255);
  } else if (messageType === 'page' || messageType === 'screen') {
    if (message.name !== undefined && message.name !== null && typeof message.name !== 'string') return { ok: false, reason: 'name must be a string' };
    eventName = typeof message.name === 'string' ? message.name.slice(0, 255) : null;
  }
  const previousId = idOf(message.previousId);
  if (previousId === undefined) return { ok: false, reason: 'previousId must be a string or a number' };
  if (messageType === 'alias' && (previousId === null || userId === null)) return { ok: false, reason: 'an alias message needs userId and previousId' };
  const groupId = idOf(message.groupId);
  if (groupId === undefined) return { ok: false, reason: 'groupId must be a string or a number' };
  if (messageType === 'group' && groupId === null) return { ok: false, reason: 'a group message needs groupId' };

  for (const field of ['properties', 'traits', 'context'] as const) {
    if (message[field] !== undefined && message[field] !== null && !isPlainObject(message[field])) {
      return { ok: false, reason: `${field} must be an object` };
    }
  }
  const messageId = message.messageId === undefined || message.messageId === null ? context.newMessageId() : idOf(message.messageId);
  if (!messageId) return { ok: false, reason: 'messageId must be a string (1 to 255 characters)' };

  const timestampMs = timeOf(message.timestamp);
  const originalTimestampMs = timeOf(message.originalTimestamp);
  const sentAtMs = timeOf(message.sentAt ?? context.batchSentAt);
  if (timestampMs === undefined) return { ok: false, reason: 'timestamp must be an ISO 8601 date' };
  if (originalTimestampMs === undefined) return { ok: false, reason: 'originalTimestamp must be an ISO 8601 date' };
  if (sentAtMs === undefined) return { ok: false, reason: 'sentAt must be an ISO 8601 date' };

  return {
    ok: true,
    event: {
      messageId,
      type: messageType as SegmentMessageType,
      eventName,
      userId,
      anonymousId,
      previousId,
      groupId,
      properties: (message.properties as Record<string, unknown> | undefined) ?? null,
      traits: (message.traits as Record<string, unknown> | undefined) ?? (messageType === 'identify' || messageType === 'group' ? {} : null),
      context: (message.context as Record<string, unknown> | undefined) ?? null,
      timestampMs: correctedTimestampMs({ timestampMs, originalTimestampMs, sentAtMs, receivedAtMs: context.receivedAtMs }),
      originalTimestampMs,
      sentAtMs,
      receivedAtMs: context.receivedAtMs,
    },
  };
}

/**
 * Segment's clock-skew correction: a client stamps the event and the send with its own clock, so
 * the time between them is right even when the clock is not; the event happened that long before
 * the server received it. A message stamped by a trusted server (timestamp, no sentAt) keeps its time.
 */
export function correctedTimestampMs(times: { timestampMs: number | null; originalTimestampMs: number | null; sentAtMs: number | null; receivedAtMs: number }): number {
  const clientTimeMs = times.originalTimestampMs ?? times.timestampMs;
  if (clientTimeMs !== null && times.sentAtMs !== null) return times.receivedAtMs - (times.sentAtMs - clientTimeMs);
  return times.timestampMs ?? times.originalTimestampMs ?? times.receivedAtMs;
}
