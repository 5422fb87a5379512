import type { TriggerView } from '@hookline/contracts';
import { type FormEvent, useCallback, useContext, useEffect, useRef, useState } from 'react';
import { ApiError, errorMessage } from '../api/api-client';
import { IssuedUrlsContext, useApi } from '../api/api-context';
import { StatusBadge } from '../components/status-badge';
import { formatTime } from '../lib/format';
import { hrefOf, navigate } from '../lib/router';

/** The workspace's triggers, and the form that creates one. */
export function TriggersPage({ onUnauthorized }: { onUnauthorized: () => void }) {
  const api = useApi();
  const issued = useContext(IssuedUrlsContext);
  const [triggers, setTriggers] = useState<TriggerView[] | null>(null);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  const fail = useCallback(
    (e: unknown) => {
      if (e instanceof ApiError && e.status === 401) onUnauthorized();
      else setError(errorMessage(e));
    },
    [onUnauthorized],
  );

  useEffect(() => {
    heading.current?.focus();
    api.listTriggers().then((page) => {
      setTriggers(page.items);
      setNextCursor(page.nextCursor);
    }, fail);
  }, [api, fail]);

  const more = async () => {
    if (!nextCursor) return;
    try {
      const page = await api.listTriggers({ cursor: nextCursor });
      setTriggers((t) => [...(t ?? []), ...page.items]);
      setNextCursor(page.nextCursor);
    } catch (e) {
      fail(e);
    }
  };

  const onCreated = (trigger: TriggerView) => {
    if (trigger.url) issued.set(trigger.id, { url: trigger.url, previousUrlValidUntil: trigger.previousUrlValidUntil });
    navigate({ name: 'trigger', triggerId: trigger.id });
  };

  return (
    <main className="page">
      <h1 ref={heading} tabIndex={-1}>
        Triggers
      </h1>
      <CreateTriggerForm onCreated={onCreated} onUnauthorized={onUnauthorized} />
      <section aria-labelledby="list-heading">
        <h2 id="list-heading">Your triggers</h2>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
        {triggers === null && !error && <p>Loading…</p>}
        {triggers?.length === 0 && <p>No triggers yet: create one above.</p>}
        {triggers && triggers.length > 0 && (
          <table>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Flow</th>
                <th scope="col">Status</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {triggers.map((t) => (
                <tr key={t.id}>
                  <td>
                    <a
                      href={hrefOf({ name: 'trigger', triggerId: t.id })}
                      onClick={(e) => {
                        e.preventDefault();
                        navigate({ name: 'trigger', triggerId: t.id });
                      }}
                    >
                      {t.name}
                    </a>
                  </td>
                  <td>
                    <code>{t.flowId}</code>
                  </td>
                  <td>
                    <StatusBadge status={t.status} />
                  </td>
                  <td>{formatTime(t.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {nextCursor && (
          <button type="button" onClick={() => void more()}>
            Load more
          </button>
        )}
      </section>
    </main>
  );
}

function CreateTriggerForm({ onCreated, onUnauthorized }: { onCreated: (t: TriggerView) => void; onUnauthorized: () => void }) {
  const api = useApi();
  const [flowId, setFlowId] = useState('');
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | Error | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onCreated(await api.createTrigger({ flowId: flowId.trim(), ...(name.trim() ? { name: name.trim() } : {}) }));
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) return onUnauthorized();
      setError(e instanceof Error ? e : new Error(String(e)));
      setBusy(false);
    }
  };
  const problem = (pointer: string) => (error instanceof ApiError ? error.problems.filter((p) => p.pointer === pointer) : []);
  const flowProblems = problem('/flowId');
  const nameProblems = problem('/name');
  return (
    <section aria-labelledby="create-heading" className="card">
      <h2 id="create-heading">New trigger</h2>
      <p>A trigger starts one flow (journey) for each webhook that arrives at its URL.</p>
      <form onSubmit={(e) => void submit(e)} className="inline-form">
        <div className="field">
          <label htmlFor="flow-id">Flow id</label>
          <input id="flow-id" value={flowId} onChange={(e) => setFlowId(e.target.value)} required placeholder="flow_order_thanks" aria-invalid={flowProblems.length > 0 || undefined} aria-describedby={flowProblems.length ? 'flow-id-problems' : undefined} />
          {flowProblems.length > 0 && <p id="flow-id-problems" className="error">{flowProblems.map((p) => p.message).join('; ')}</p>}
        </div>
        <div className="field">
          <label htmlFor="trigger-name">Name (optional)</label>
          <input id="trigger-name" value={name} onChange={(e) => setName(e.target.value)} placeholder="Shopify orders" aria-invalid={nameProblems.length > 0 || undefined} aria-describedby={nameProblems.length ? 'trigger-name-problems' : undefined} />
          {nameProblems.length > 0 && <p id="trigger-name-problems" className="error">{nameProblems.map((p) => p.message).join('; ')}</p>}
        </div>
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Creating…' : 'Create trigger'}
        </button>
      </form>
      {error && (
        <p role="alert" className="error">
          {errorMessage(error)}
        </p>
      )}
    </section>
  );
}
