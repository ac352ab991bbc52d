import { listEvents as listEventRows } from '../../store/event-store';
import type { ServiceContext } from '../context';

const parse = (json: string | null) => (json === null ? null : (JSON.parse(json) as Record<string, unknown>));

/** The merchant's received events, oldest first, a page at a time. */
export async function listEvents(ctx: ServiceContext, merchantId: string, options: { limit: number; cursor?: string | undefined }) {
  const rows = await listEventRows(ctx.store.db, merchantId, { limit: options.limit + 1, afterId: options.cursor });
  const page = rows.slice(0, options.limit);
  return {
    events: page.map((row) => ({
      id: row.id, messageId: row.message_id, type: row.type, event: row.event_name, userId: row.user_id, anonymousId: row.anonymous_id,
      previousId: row.previous_id, groupId: row.group_id, properties: parse(row.properties_json), traits: parse(row.traits_json),
      context: parse(row.context_json), personId: row.person_id, timestamp: new Date(row.timestamp_ms).toISOString(), receivedAt: new Date(row.received_at_ms).toISOString(),
    })),
    nextCursor: rows.length > options.limit ? page[page.length - 1]?.id ?? null : null,
  };
}
