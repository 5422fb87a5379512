import type { EventStatus, TriggerStatus } from '@hookline/contracts';

const TONE: Record<EventStatus | TriggerStatus, 'good' | 'bad' | 'warn' | 'neutral'> = {
  listening: 'neutral',
  live: 'good',
  paused: 'warn',
  accepted: 'neutral',
  mapped: 'neutral',
  triggered: 'good',
  duplicate: 'neutral',
  skipped: 'warn',
  parked: 'warn',
  rejected: 'bad',
  failed: 'bad',
};

export function StatusBadge({ status }: { status: EventStatus | TriggerStatus }) {
  return <span className={`badge badge-${TONE[status]}`}>{status}</span>;
}
