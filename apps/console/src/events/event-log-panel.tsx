import type { EventLogEntry, EventStatus } from '@hookline/contracts';
import { useCallback, useState } from 'react';
import { ApiError, errorMessage } from '../api/api-client';
import { useApi } from '../api/api-context';
import { usePolling } from '../lib/use-polling';
import { EventLogTable, type ReplayState } from './event-log';

/** The event log, refreshed every few seconds (the log is eventually consistent), with replay. */
export function EventLogPanel({ triggerId, onUnauthorized }: { triggerId: string; onUnauthorized: () => void }) {
  const api = useApi();
  const [status, setStatus] = useState<EventStatus | ''>('');
  const [page, setPage] = useState<{ items: EventLogEntry[]; nextCursor: string | null; status: EventStatus | '' } | null>(null);
  const [older, setOlder] = useState<{ items: EventLogEntry[]; nextCursor: string | null }>({ items: [], nextCursor: null });
  const [error, setError] = useState<string | null>(null);
  const [replays, setReplays] = useState<Record<string, ReplayState>>({});

  const fail = useCallback(
    (e: unknown) => {
      if (e instanceof ApiError && e.status === 401) onUnauthorized();
      else setError(errorMessage(e));
    },
    [onUnauthorized],
  );

  // The newest page is polled; older pages, once loaded, stay as they were.
  const refresh = useCallback(async () => {
    try {
      const answer = await api.events(triggerId, status ? { status } : {});
      setPage({ ...answer, status });
      setError(null);
    } catch (e) {
      fail(e);
    }
  }, [api, triggerId, status, fail]);
  usePolling(refresh, 3_000, true, status);

  const changeStatus = (next: EventStatus | '') => {
    setStatus(next);
    setOlder({ items: [], nextCursor: null });
  };

  const loadMore = async () => {
    const cursor = older.nextCursor ?? page?.nextCursor;
    if (!cursor) return;
    try {
      const answer = await api.events(triggerId, { ...(status ? { status } : {}), cursor });
      setOlder((o) => ({ items: [...o.items, ...answer.items], nextCursor: answer.nextCursor }));
    } catch (e) {
      fail(e);
    }
  };

  const replay = async (eventId: string) => {
    setReplays((r) => ({ ...r, [eventId]: { busy: true } }));
    try {
      await api.replay(triggerId, eventId);
      setReplays((r) => ({ ...r, [eventId]: { message: 'Replayed: the outcome appears here shortly.' } }));
      await refresh();
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) return onUnauthorized();
      setReplays((r) => ({ ...r, [eventId]: { error: errorMessage(e) } }));
    }
  };

  const current = page && page.status === status ? page : null;
  const seen = new Set(current?.items.map((e) => e.eventId));
  const items = current ? [...current.items, ...older.items.filter((e) => !seen.has(e.eventId))] : null;
  const more = older.items.length > 0 ? older.nextCursor : current?.nextCursor;
  return (
    <section aria-labelledby="events-heading" className="card">
      <h2 id="events-heading">Event log</h2>
      <p className="hint">Every request to the URL and what became of it, newest first. It refreshes every few seconds.</p>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <EventLogTable items={items} status={status} onStatus={changeStatus} onReplay={(id) => void replay(id)} replays={replays} />
      {more && (
        <button type="button" onClick={() => void loadMore()}>
          Load older events
        </button>
      )}
    </section>
  );
}
