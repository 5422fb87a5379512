import type { DriftItem, SampleView, TriggerView } from '@hookline/contracts';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { DriftPanel, driftSentence } from './drift-panel';
import { SamplesPanel } from './samples-panel';
import { curlLine, UrlPanel } from './url-panel';

const TRIGGER: TriggerView = {
  id: 'trg_QEaU7brWrYAC1sJk',
  flowId: 'flow_order_thanks',
  name: 'Shopify orders',
  status: 'listening',
  url: null,
  previousUrlValidUntil: null,
  verification: { scheme: 'none' },
  limits: { maxBodyBytes: 1048576, ratePerSecond: null, burst: null },
  unknownCustomer: 'create',
  createdAt: '2026-11-25T16:48:46.706Z',
  updatedAt: '2026-11-25T16:48:46.706Z',
};
const URL_ = 'http://localhost:4100/hooks/trg_QEaU7brWrYAC1sJk/EUfyB252H3ZJLEnoDKvru7NWeNkWPJN5RKpmREvk76g';

describe('the URL panel', () => {
  it('shows a URL just issued, with copy buttons and a ready curl line', async () => {
    const user = userEvent.setup();
    render(<UrlPanel trigger={TRIGGER} issued={{ url: URL_, previousUrlValidUntil: null }} onRotate={vi.fn()} />);
    expect(screen.getByLabelText('URL')).toHaveValue(URL_);
    expect(screen.getByLabelText('Try it with curl')).toHaveValue(`curl -X POST '${URL_}' -H 'content-type: application/json' --data-binary @payload.json`);
    await user.click(screen.getByRole('button', { name: 'Copy URL' }));
    expect(await navigator.clipboard.readText()).toBe(URL_);
    expect(screen.getAllByRole('status')[0]).toHaveTextContent('Copied');
    await user.click(screen.getByRole('button', { name: 'Copy curl line' }));
    expect(await navigator.clipboard.readText()).toBe(curlLine(URL_));
  });

  it('explains that a URL is shown only when issued, and issues a new one with the grace chosen', async () => {
    const user = userEvent.setup();
    const onRotate = vi.fn(async () => undefined);
    render(<UrlPanel trigger={TRIGGER} issued={undefined} onRotate={onRotate} />);
    expect(screen.queryByLabelText('URL')).toBeNull();
    expect(screen.getByText(/shown only when it is issued/)).toBeInTheDocument();
    await user.selectOptions(screen.getByLabelText('The current URL then'), 'keeps working for 1 hour');
    await user.click(screen.getByRole('button', { name: 'Issue a new URL' }));
    expect(onRotate).toHaveBeenCalledWith(3600);
  });

  it('shows why a rotation failed', async () => {
    const user = userEvent.setup();
    render(<UrlPanel trigger={TRIGGER} issued={undefined} onRotate={() => Promise.reject(new Error('broker down'))} />);
    await user.click(screen.getByRole('button', { name: 'Issue a new URL' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('broker down');
  });
});

const SAMPLE: SampleView = {
  id: '01a2139c-eb58-73fc-86c3-bbe624e9822e',
  eventId: '01a2139c-eb58-73fc-86c3-bbe624e9822e',
  receivedAt: '2026-11-25T16:49:40.696Z',
  contentType: 'application/json',
  bytes: 5_432,
  headers: { 'x-shopify-topic': 'orders/create' },
  query: {},
  body: { email: 'ann@example.com', total_price: '10' },
};

describe('the samples panel', () => {
  it('waits for the first webhook while listening', () => {
    render(<SamplesPanel samples={[]} status="listening" onOpen={vi.fn()} onDelete={vi.fn()} onDeleteAll={vi.fn()} />);
    expect(screen.getByText(/Waiting for the first webhook/)).toBeInTheDocument();
  });

  it('lists samples with their time and size; opens one to read its body', async () => {
    const user = userEvent.setup();
    const onOpen = vi.fn(async () => SAMPLE);
    render(<SamplesPanel samples={[SAMPLE]} status="listening" onOpen={onOpen} onDelete={vi.fn()} onDeleteAll={vi.fn()} />);
    expect(screen.getByText('1 sample stored; new ones appear as they arrive.')).toBeInTheDocument();
    expect(screen.getByText('5.3 KB')).toBeInTheDocument();
    expect(screen.getByRole('cell', { name: /2026/ }).querySelector('time')).toHaveAttribute('dateTime', SAMPLE.receivedAt);
    const open = screen.getByRole('button', { name: /^Open sample received/ });
    await user.click(open);
    expect(onOpen).toHaveBeenCalledWith(SAMPLE.id);
    expect(await screen.findByRole('region', { name: 'Sample body' })).toHaveTextContent('"email": "ann@example.com"');
    expect(screen.getByRole('button', { name: /^Close sample received/ })).toHaveAttribute('aria-expanded', 'true');
  });

  it('deletes a sample after a confirmation', async () => {
    const user = userEvent.setup();
    const onDelete = vi.fn(async () => undefined);
    render(<SamplesPanel samples={[SAMPLE]} status="live" onOpen={vi.fn()} onDelete={onDelete} onDeleteAll={vi.fn()} />);
    await user.click(screen.getByRole('button', { name: /^Delete sample received/ }));
    expect(onDelete).not.toHaveBeenCalled();
    await user.click(screen.getByRole('button', { name: /^Yes, delete sample received/ }));
    expect(onDelete).toHaveBeenCalledWith(SAMPLE.id);
    await waitFor(() => expect(screen.getByRole('button', { name: /^Delete sample received/ })).toBeInTheDocument());
  });
});

describe('drift', () => {
  const item = (kind: DriftItem['kind'], path: string, typesBefore: string[], typesAfter: string[]): DriftItem => ({
    kind,
    path,
    typesBefore,
    typesAfter,
    firstSeenAt: '2026-11-25T17:02:11.120Z',
    lastSeenAt: '2026-11-25T17:04:11.120Z',
    occurrences: 3,
    firstEventId: '01a2',
  });

  it('puts each drift in words', () => {
    expect(driftSentence(item('field_removed', 'customer.phone', ['string'], []))).toBe('customer.phone stopped arriving');
    expect(driftSentence(item('field_added', 'loyalty_tier', [], ['string']))).toBe('loyalty_tier started arriving (new field)');
    expect(driftSentence(item('type_changed', 'total_price', ['string'], ['number']))).toBe('total_price arrived as number (was string)');
  });

  it('shows drift and missing mapped fields on the trigger, and nothing when there is none', () => {
    const { container, rerender } = render(<DriftPanel drift={[]} alerts={[]} />);
    expect(container).toBeEmptyDOMElement();
    rerender(
      <DriftPanel
        drift={[item('field_removed', 'customer.phone', ['string'], [])]}
        alerts={[{ code: 'MAPPED_FIELD_MISSING', path: 'total_price', lastSeenAt: null, message: 'total_price is used by the mapping but was not in the latest sample' }]}
      />,
    );
    expect(screen.getByRole('heading', { name: 'Drift' })).toBeInTheDocument();
    expect(screen.getByText('customer.phone')).toBeInTheDocument();
    expect(screen.getByText(/stopped arriving — 3 times/)).toBeInTheDocument();
    expect(screen.getByText(/is mapped but was not in the latest sample/)).toBeInTheDocument();
  });
});
