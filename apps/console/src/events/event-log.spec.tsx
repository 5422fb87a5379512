import type { EventLogEntry } from '@hookline/contracts';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { EventLogTable, replayable } from './event-log';

const entry = (eventId: string, status: EventLogEntry['status'], reason: string | null, extra: Partial<EventLogEntry> = {}): EventLogEntry => ({
  eventId,
  status,
  reason,
  receivedAt: '2026-11-25T16:49:17.577Z',
  deliveryId: null,
  mappingVersion: null,
  outputEventId: null,
  customerId: null,
  history: [{ status: 'accepted', reason: null, at: '2026-11-25T16:49:17.599Z' }],
  ...extra,
});

const ITEMS = [
  entry('01a2139c-9109-750d-9ad3-93f989ffcf6a', 'duplicate', 'already started by event 01a2139c-74a9', { deliveryId: 'x-shopify-webhook-id:order-1001' }),
  entry('01a2139c-74a9-763b-8d62-0bd1b6e3441e', 'triggered', null, { customerId: 'cus_p9TsQxEw4hy1U6W3', outputEventId: '882fc1e5', mappingVersion: 1 }),
  entry('01a2139c-aaaa-763b-8d62-0bd1b6e3441e', 'failed', 'UNIQUE_ID_MISSING: mapping: unique id (email): no value at "email"'),
  entry('01a2139c-bbbb-763b-8d62-0bd1b6e3441e', 'skipped', 'TRIGGER_PAUSED'),
];

describe('the event log', () => {
  it('shows each event with its outcome and reason', () => {
    render(<EventLogTable items={ITEMS} status="" onStatus={vi.fn()} onReplay={vi.fn()} replays={{}} />);
    const rows = screen.getAllByRole('row').slice(1);
    expect(rows.map((r) => r.getAttribute('data-status'))).toEqual(['duplicate', 'triggered', 'failed', 'skipped']);
    expect(within(rows[0]).getByText('already started by event 01a2139c-74a9')).toBeInTheDocument();
    expect(within(rows[0]).getByText('x-shopify-webhook-id:order-1001')).toBeInTheDocument();
    expect(within(rows[1]).getByText('cus_p9TsQxEw4hy1U6W3')).toBeInTheDocument();
    expect(within(rows[2]).getByText(/UNIQUE_ID_MISSING/)).toBeInTheDocument();
  });

  it('filters by status', async () => {
    const user = userEvent.setup();
    const onStatus = vi.fn();
    render(<EventLogTable items={[]} status="" onStatus={onStatus} onReplay={vi.fn()} replays={{}} />);
    const select = screen.getByLabelText('Status');
    expect(within(select).getAllByRole('option').map((o) => o.textContent)).toEqual(['All statuses', 'accepted', 'rejected', 'mapped', 'triggered', 'duplicate', 'skipped', 'parked', 'failed']);
    await user.selectOptions(select, 'failed');
    expect(onStatus).toHaveBeenCalledWith('failed');
  });

  it('replays what can be replayed, and says how it went', async () => {
    const user = userEvent.setup();
    const onReplay = vi.fn();
    render(<EventLogTable items={ITEMS} status="" onStatus={vi.fn()} onReplay={onReplay} replays={{ [ITEMS[2].eventId]: { error: 'this event was received while listening (CONFLICT)' } }} />);
    expect(screen.queryByRole('button', { name: `Replay event ${ITEMS[0].eventId}` })).toBeNull();
    expect(screen.queryByRole('button', { name: `Replay event ${ITEMS[1].eventId}` })).toBeNull();
    await user.click(screen.getByRole('button', { name: `Replay event ${ITEMS[3].eventId}` }));
    expect(onReplay).toHaveBeenCalledWith(ITEMS[3].eventId);
    expect(screen.getByText(/received while listening/)).toHaveClass('error');
    expect(replayable('parked')).toBe(true);
  });

  it('says when a filter finds nothing', () => {
    render(<EventLogTable items={[]} status="parked" onStatus={vi.fn()} onReplay={vi.fn()} replays={{}} />);
    expect(screen.getByText('No parked events.')).toBeInTheDocument();
  });
});
