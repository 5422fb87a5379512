// The unit of work in progress (one consumed message, one HTTP request): its trace and the
// ids of the event it is about. Log lines and produced messages read it from here, so code in
// between passes nothing along.
import { AsyncLocalStorage } from 'node:async_hooks';
import { type Traceparent, traceIdOf, spanIdOf } from './trace-context';

export interface WorkContext {
  traceparent?: Traceparent;
  /** The event as users know it: the webhook's (or trigger-a-flow call's) event id. */
  eventId?: string;
  /** The message's own event id, when it is not `eventId` (a mapped event, a dead letter). */
  messageId?: string;
  triggerId?: string | null;
  workspaceId?: string;
  /** The topic of the message being handled. */
  topic?: string;
}

const storage = new AsyncLocalStorage<WorkContext>();

export function runInContext<T>(context: WorkContext, fn: () => T): T {
  return storage.run(context, fn);
}

/** Runs `fn` outside any unit of work (a relay publishing rows that carry their own trace). */
export function outsideContext<T>(fn: () => T): T {
  return storage.exit(fn);
}

export function currentContext(): WorkContext | undefined {
  return storage.getStore();
}

export function currentTraceparent(): Traceparent | undefined {
  return storage.getStore()?.traceparent;
}

/** What names an event in a message of any Hookline topic (the envelope, and where a message derives from another). */
interface EventLike {
  eventId?: unknown;
  workspaceId?: unknown;
  triggerId?: unknown;
  source?: { eventId?: unknown } | null;
  sourceEventId?: unknown;
}

/** Puts the ids of a decoded message into the current unit of work. */
export function describeEvent(message: unknown): void {
  const context = storage.getStore();
  if (!context || message === null || typeof message !== 'object') return;
  const m = message as EventLike;
  const own = typeof m.eventId === 'string' ? m.eventId : undefined;
  const source = typeof m.source?.eventId === 'string' ? m.source.eventId : typeof m.sourceEventId === 'string' ? m.sourceEventId : undefined;
  context.eventId = source ?? own;
  if (source && own && own !== source) context.messageId = own;
  if (typeof m.workspaceId === 'string' && m.workspaceId !== 'unknown') context.workspaceId = m.workspaceId;
  if (typeof m.triggerId === 'string' || m.triggerId === null) context.triggerId = m.triggerId;
}

/** The fields every log line of the current unit of work carries. */
export function contextFields(): Record<string, unknown> {
  const c = storage.getStore();
  if (!c) return {};
  const fields: Record<string, unknown> = {};
  if (c.traceparent) {
    fields['trace_id'] = traceIdOf(c.traceparent);
    fields['span_id'] = spanIdOf(c.traceparent);
  }
  if (c.eventId) fields['eventId'] = c.eventId;
  if (c.messageId) fields['messageId'] = c.messageId;
  if (c.triggerId !== undefined) fields['triggerId'] = c.triggerId;
  if (c.workspaceId) fields['workspaceId'] = c.workspaceId;
  if (c.topic) fields['topic'] = c.topic;
  return fields;
}
