import type { DriftItem, MappedFieldAlert } from '@hookline/contracts';
import { formatTime } from '../lib/format';

/** One line per drift row, in words: "`customer.phone` stopped arriving". */
export function driftSentence(item: DriftItem): string {
  switch (item.kind) {
    case 'field_removed':
      return `${item.path} stopped arriving`;
    case 'field_added':
      return `${item.path} started arriving (new field)`;
    case 'type_changed':
      return `${item.path} arrived as ${item.typesAfter.join(' or ')} (was ${item.typesBefore.join(' or ') || 'never seen'})`;
  }
}

/** How live traffic drifted from what the samples taught, and mapped fields that went missing. */
export function DriftPanel({ drift, alerts }: { drift: readonly DriftItem[]; alerts: readonly MappedFieldAlert[] }) {
  if (drift.length === 0 && alerts.length === 0) return null;
  return (
    <section aria-labelledby="drift-heading" className="drift">
      <h2 id="drift-heading">Drift</h2>
      <ul>
        {alerts.map((a) => (
          <li key={`alert-${a.path}`} className="drift-alert">
            <strong>
              <code>{a.path}</code> is mapped but was not in the latest sample
            </strong>
            {a.lastSeenAt ? ` (last seen ${formatTime(a.lastSeenAt)})` : ' (never seen)'}
          </li>
        ))}
        {drift.map((d) => (
          <li key={`${d.kind}-${d.path}`}>
            <code>{d.path}</code>
            {driftSentence(d).slice(d.path.length)} — {d.occurrences} time{d.occurrences === 1 ? '' : 's'}, first {formatTime(d.firstSeenAt)}, last {formatTime(d.lastSeenAt)}
          </li>
        ))}
      </ul>
    </section>
  );
}
