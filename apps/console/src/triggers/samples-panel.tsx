import type { SampleView, TriggerStatus } from '@hookline/contracts';
import { useState } from 'react';
import { errorMessage } from '../api/api-client';
import { formatBytes, formatTime } from '../lib/format';

/** The samples captured so far, newest first: each can be opened (its body) and deleted. */
export function SamplesPanel({
  samples,
  status,
  onOpen,
  onDelete,
  onDeleteAll,
}: {
  samples: readonly SampleView[] | null;
  status: TriggerStatus;
  onOpen: (sampleId: string) => Promise<SampleView>;
  onDelete: (sampleId: string) => Promise<void>;
  onDeleteAll: () => Promise<void>;
}) {
  const [open, setOpen] = useState<{ id: string; sample: SampleView | null; error: string | null } | null>(null);
  const [confirm, setConfirm] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const toggle = async (id: string) => {
    if (open?.id === id) return setOpen(null);
    setOpen({ id, sample: null, error: null });
    try {
      const sample = await onOpen(id);
      setOpen((o) => (o?.id === id ? { id, sample, error: null } : o));
    } catch (e) {
      setOpen((o) => (o?.id === id ? { id, sample: null, error: errorMessage(e) } : o));
    }
  };
  const act = async (task: () => Promise<void>) => {
    setError(null);
    try {
      await task();
      setConfirm(null);
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  return (
    <section aria-labelledby="samples-heading" className="card">
      <h2 id="samples-heading">Samples</h2>
      <p aria-live="polite">
        {samples === null
          ? 'Loading samples…'
          : samples.length === 0
            ? status === 'listening'
              ? 'Waiting for the first webhook… samples appear here as they arrive.'
              : 'No samples are stored.'
            : `${samples.length} sample${samples.length === 1 ? '' : 's'} stored${status === 'listening' ? '; new ones appear as they arrive' : ''}.`}
      </p>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {samples && samples.length > 0 && (
        <>
          <table>
            <thead>
              <tr>
                <th scope="col">Received</th>
                <th scope="col">Size</th>
                <th scope="col">Content type</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {samples.map((s) => (
                <SampleRow
                  key={s.id}
                  sample={s}
                  open={open?.id === s.id ? open : null}
                  confirming={confirm === s.id}
                  onToggle={() => void toggle(s.id)}
                  onAskDelete={() => setConfirm(s.id)}
                  onCancelDelete={() => setConfirm(null)}
                  onDelete={() => void act(() => onDelete(s.id))}
                />
              ))}
            </tbody>
          </table>
          {confirm === '*' ? (
            <div role="group" aria-label="Confirm deleting every sample">
              <button type="button" className="danger-button" onClick={() => void act(onDeleteAll)}>
                Yes, delete every sample
              </button>
              <button type="button" onClick={() => setConfirm(null)}>
                Keep them
              </button>
            </div>
          ) : (
            <button type="button" onClick={() => setConfirm('*')}>
              Delete all samples…
            </button>
          )}
        </>
      )}
    </section>
  );
}

function SampleRow({
  sample,
  open,
  confirming,
  onToggle,
  onAskDelete,
  onCancelDelete,
  onDelete,
}: {
  sample: SampleView;
  open: { sample: SampleView | null; error: string | null } | null;
  confirming: boolean;
  onToggle: () => void;
  onAskDelete: () => void;
  onCancelDelete: () => void;
  onDelete: () => void;
}) {
  const when = formatTime(sample.receivedAt);
  const bodyId = `sample-body-${sample.id}`;
  return (
    <>
      <tr>
        <td>
          <time dateTime={sample.receivedAt}>{when}</time>
        </td>
        <td>{formatBytes(sample.bytes)}</td>
        <td>
          <code>{sample.contentType}</code>
        </td>
        <td className="row-actions">
          <button type="button" aria-expanded={open !== null} aria-controls={bodyId} onClick={onToggle} aria-label={`${open ? 'Close' : 'Open'} sample received ${when}`}>
            {open ? 'Close' : 'Open'}
          </button>
          {confirming ? (
            <>
              <button type="button" className="danger-button" onClick={onDelete} aria-label={`Yes, delete sample received ${when}`}>
                Yes, delete
              </button>
              <button type="button" onClick={onCancelDelete}>
                Keep
              </button>
            </>
          ) : (
            <button type="button" onClick={onAskDelete} aria-label={`Delete sample received ${when}`}>
              Delete
            </button>
          )}
        </td>
      </tr>
      {open && (
        <tr>
          <td colSpan={4}>
            <div id={bodyId} className="sample-body">
              {open.error ? (
                <p role="alert" className="error">
                  {open.error}
                </p>
              ) : open.sample === null ? (
                <p>Loading…</p>
              ) : (
                <>
                  <h3 className="small">Headers</h3>
                  <pre>{JSON.stringify(open.sample.headers, null, 2)}</pre>
                  {Object.keys(open.sample.query).length > 0 && (
                    <>
                      <h3 className="small">Query</h3>
                      <pre>{JSON.stringify(open.sample.query, null, 2)}</pre>
                    </>
                  )}
                  <h3 className="small">Body</h3>
                  <pre tabIndex={0} role="region" aria-label="Sample body">
                    {open.sample.body === null ? '(too large to keep: learned from, not stored)' : JSON.stringify(open.sample.body, null, 2)}
                  </pre>
                </>
              )}
            </div>
          </td>
        </tr>
      )}
    </>
  );
}
