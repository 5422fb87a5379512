import type { EventLogEntry, EventStatus } from '@hookline/contracts';
import { StatusBadge } from '../components/status-badge';
import { formatTime } from '../lib/format';

/** Every status the log may show (docs/api.md "Event log"). */
export const EVENT_STATUSES = ['accepted', 'rejected', 'mapped', 'triggered', 'duplicate', 'skipped', 'parked', 'failed'] as const satisfies readonly EventStatus[];
// Compile-time check that the list names every status of the contract.
const everyStatus: Record<Exclude<EventStatus, (typeof EVENT_STATUSES)[number]>, never> = {};
void everyStatus;

/** An event already triggered or a duplicate cannot be replayed (409): no button for it. */
export function replayable(status: EventStatus): boolean {
  return status !== 'triggered' && status !== 'duplicate';
}

export interface ReplayState {
  busy?: boolean;
  message?: string;
  error?: string;
}

/** The event log: every request and what became of it, newest first, filtered by status. */
export function EventLogTable({
  items,
  status,
  onStatus,
  onReplay,
  replays,
}: {
  /** null while loading. */
  items: readonly EventLogEntry[] | null;
  status: EventStatus | '';
  onStatus: (status: EventStatus | '') => void;
  onReplay: (eventId: string) => void;
  replays: Readonly<Record<string, ReplayState>>;
}) {
  return (
    <>
      <div className="inline-form">
        <div className="field">
          <label htmlFor="event-status">Status</label>
          <select id="event-status" value={status} onChange={(e) => onStatus(e.target.value as EventStatus | '')}>
            <option value="">All statuses</option>
            {EVENT_STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </div>
      </div>
      {items === null ? (
        <p>Loading…</p>
      ) : items.length === 0 ? (
        <p>{status ? `No ${status} events.` : 'No events yet: they appear here a moment after each webhook.'}</p>
      ) : (
        <table className="events">
          <thead>
            <tr>
              <th scope="col">Received</th>
              <th scope="col">Status</th>
              <th scope="col">Reason</th>
              <th scope="col">Delivery</th>
              <th scope="col">Customer</th>
              <th scope="col">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((e) => {
              const replay = replays[e.eventId] ?? {};
              return (
                <tr key={e.eventId} data-status={e.status}>
                  <td>
                    <time dateTime={e.receivedAt}>{formatTime(e.receivedAt)}</time>
                    <details>
                      <summary>
                        <span className="sr-only">History of </span>
                        <code>{e.eventId.slice(0, 13)}…</code>
                      </summary>
                      <p className="mono small">{e.eventId}</p>
                      <ol className="history">
                        {e.history.map((h, i) => (
                          <li key={i}>
                            {formatTime(h.at)} <StatusBadge status={h.status} /> {h.reason ?? ''}
                          </li>
                        ))}
                      </ol>
                      {e.outputEventId && (
                        <p className="small">
                          Journey message <code>{e.outputEventId}</code>
                          {e.mappingVersion !== null ? `, mapping version ${e.mappingVersion}` : ''}
                        </p>
                      )}
                    </details>
                  </td>
                  <td>
                    <StatusBadge status={e.status} />
                  </td>
                  <td className="reason">
                    {e.reason ?? '—'}
                    {e.conflicts?.map((c) => (
                      <p key={`${c.type}-${c.value}`} className="small">
                        {c.type} {c.value} belongs to {c.customerId}: not merged
                      </p>
                    ))}
                  </td>
                  <td>{e.deliveryId ? <code>{e.deliveryId}</code> : '—'}</td>
                  <td>{e.customerId ? <code>{e.customerId}</code> : '—'}</td>
                  <td>
                    {replayable(e.status) && (
                      <button type="button" onClick={() => onReplay(e.eventId)} disabled={replay.busy} aria-label={`Replay event ${e.eventId}`}>
                        {replay.busy ? 'Replaying…' : 'Replay'}
                      </button>
                    )}
                    <span role="status" className={replay.error ? 'error small' : 'small'}>
                      {replay.error ?? replay.message ?? ''}
                    </span>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </>
  );
}
