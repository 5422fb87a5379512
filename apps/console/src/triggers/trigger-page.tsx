import type { DriftItem, SampleView, TriggerStatus, TriggerView, VariablePickerView, VariableSetView } from '@hookline/contracts';
import type { MappingDefinition } from '@hookline/mapping-rules';
import { useCallback, useContext, useEffect, useRef, useState } from 'react';
import { ApiError, errorMessage } from '../api/api-client';
import { IssuedUrlsContext, useApi } from '../api/api-context';
import { StatusBadge } from '../components/status-badge';
import { Tabs } from '../components/tabs';
import { EventLogPanel } from '../events/event-log-panel';
import { navigate } from '../lib/router';
import { usePolling } from '../lib/use-polling';
import { MappingEditor } from '../mapping/mapping-editor';
import { DriftPanel } from './drift-panel';
import { SamplesPanel } from './samples-panel';
import { UrlPanel } from './url-panel';

const TABS = [
  { id: 'url', label: '1 · URL and samples' },
  { id: 'map', label: '2 · Map and preview' },
  { id: 'events', label: '3 · Event log' },
] as const;
type TabId = (typeof TABS)[number]['id'];

export interface SavedMapping {
  version: number;
  definition: MappingDefinition;
}

/**
 * One trigger: its URL and samples, the mapping, the event log. Loads what the tabs share
 * (samples, the variable picker, the saved mapping) and keeps it fresh by polling.
 */
export function TriggerPage({ triggerId, onUnauthorized }: { triggerId: string; onUnauthorized: () => void }) {
  const api = useApi();
  const issuedUrls = useContext(IssuedUrlsContext);
  const [trigger, setTrigger] = useState<TriggerView | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [tab, setTab] = useState<TabId>('url');
  const [samples, setSamples] = useState<SampleView[] | null>(null);
  const [picker, setPicker] = useState<VariablePickerView | null>(null);
  const [drift, setDrift] = useState<DriftItem[]>([]);
  const [sets, setSets] = useState<VariableSetView[] | null>(null);
  const [saved, setSaved] = useState<SavedMapping | null | undefined>(undefined);
  const [issued, setIssued] = useState(() => issuedUrls.get(triggerId));
  const heading = useRef<HTMLHeadingElement>(null);
  const newestSample = useRef<string | null>(null);

  const fail = useCallback(
    (e: unknown, set: (m: string) => void) => {
      if (e instanceof ApiError && e.status === 401) onUnauthorized();
      else set(errorMessage(e));
    },
    [onUnauthorized],
  );

  useEffect(() => {
    api.getTrigger(triggerId).then(
      (t) => {
        setTrigger(t);
        heading.current?.focus();
      },
      (e: unknown) => fail(e, setLoadError),
    );
    api.variableSets().then((v) => setSets(v.items), (e: unknown) => fail(e, setLoadError));
    api.mapping(triggerId).then((m) => setSaved(m ? { version: m.version, definition: m.definition } : null), (e: unknown) => fail(e, setLoadError));
  }, [api, triggerId, fail]);

  const refreshVariables = useCallback(() => api.variables(triggerId).then(setPicker), [api, triggerId]);

  // Samples carry their bodies, so the poll asks for the newest one only, and reads the list
  // (and the picker, which changes with the samples) when a new one arrived.
  const refreshSamples = useCallback(
    async (force = false) => {
      const newest = (await api.listSamples(triggerId, 1)).items[0]?.id ?? '';
      if (!force && newest === newestSample.current) return;
      newestSample.current = newest;
      // The API pages samples by at most 100, above the default of 50 a trigger keeps.
      const page = await api.listSamples(triggerId, 100);
      setSamples(page.items);
      await refreshVariables();
    },
    [api, triggerId, refreshVariables],
  );

  const listening = trigger?.status === 'listening';
  // Now and then the whole list, for samples deleted elsewhere.
  const polls = useRef(0);
  usePolling(() => refreshSamples(++polls.current % 15 === 0), listening ? 2_000 : 5_000, trigger !== null);
  usePolling(() => api.drift(triggerId).then((d) => setDrift(d.items)), 10_000, trigger !== null && !listening);

  const setStatus = async (status: TriggerStatus) => {
    setBusy(true);
    setActionError(null);
    try {
      setTrigger(await api.updateTrigger(triggerId, { status }));
    } catch (e) {
      fail(e, setActionError);
    } finally {
      setBusy(false);
    }
  };

  const rotate = async (graceSeconds: number) => {
    const rotated = await api.rotateToken(triggerId, { graceSeconds });
    if (rotated.url) {
      const value = { url: rotated.url, previousUrlValidUntil: rotated.previousUrlValidUntil };
      issuedUrls.set(triggerId, value);
      setIssued(value);
    }
    setTrigger(rotated);
  };

  const remove = async () => {
    await api.deleteTrigger(triggerId);
    navigate({ name: 'triggers' });
  };

  if (loadError && !trigger) {
    return (
      <main className="page">
        <h1>Trigger</h1>
        <p role="alert" className="error">
          {loadError}
        </p>
      </main>
    );
  }
  if (!trigger) {
    return (
      <main className="page">
        <p>Loading…</p>
      </main>
    );
  }
  return (
    <main className="page">
      <div className="trigger-head">
        <div>
          <h1 ref={heading} tabIndex={-1}>
            {trigger.name}
          </h1>
          <p className="meta">
            Flow <code>{trigger.flowId}</code> · <span className="sr-only">Status </span>
            <StatusBadge status={trigger.status} /> · <code>{trigger.id}</code>
          </p>
        </div>
        <div className="actions" role="group" aria-label="Trigger status">
          {trigger.status !== 'live' && (
            <button type="button" className="primary" disabled={busy} onClick={() => void setStatus('live')}>
              Go live
            </button>
          )}
          {trigger.status === 'live' && (
            <button type="button" disabled={busy} onClick={() => void setStatus('paused')}>
              Pause
            </button>
          )}
          {trigger.status !== 'listening' && (
            <button type="button" disabled={busy} onClick={() => void setStatus('listening')}>
              Back to listening
            </button>
          )}
        </div>
      </div>
      <p className="status-help" aria-live="polite">
        {trigger.status === 'listening' && 'Listening: each webhook is kept as a sample; no journey starts.'}
        {trigger.status === 'live' && (saved ? `Live: each webhook starts the flow, mapped with version ${saved.version}.` : 'Live, but no mapping is saved: events fail with MAPPING_NOT_FOUND until you save one.')}
        {trigger.status === 'paused' && 'Paused: webhooks are accepted and recorded as skipped (TRIGGER_PAUSED); replay them once live.'}
      </p>
      {actionError && (
        <p role="alert" className="error">
          {actionError}
        </p>
      )}
      <DriftPanel drift={drift} alerts={picker?.alerts ?? []} />
      <Tabs tabs={TABS} selected={tab} onSelect={(id) => setTab(id as TabId)} label="Trigger steps">
        {tab === 'url' && (
          <>
            <UrlPanel trigger={trigger} issued={issued} onRotate={rotate} />
            <SamplesPanel
              samples={samples}
              status={trigger.status}
              onOpen={(sampleId) => api.getSample(triggerId, sampleId)}
              onDelete={async (sampleId) => {
                await api.deleteSample(triggerId, sampleId);
                await refreshSamples(true);
              }}
              onDeleteAll={async () => {
                await api.deleteAllSamples(triggerId);
                await refreshSamples(true);
              }}
            />
            <DeleteTrigger onDelete={remove} />
          </>
        )}
        {tab === 'map' && (
          <MappingEditor
            triggerId={triggerId}
            picker={picker}
            sets={sets}
            saved={saved}
            samples={samples ?? []}
            onSaved={(m) => {
              setSaved(m);
              void refreshVariables();
            }}
            onUnauthorized={onUnauthorized}
          />
        )}
        {tab === 'events' && <EventLogPanel triggerId={triggerId} onUnauthorized={onUnauthorized} />}
      </Tabs>
    </main>
  );
}

function DeleteTrigger({ onDelete }: { onDelete: () => Promise<void> }) {
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <section aria-labelledby="delete-heading" className="danger">
      <h2 id="delete-heading">Delete this trigger</h2>
      <p>Its URL stops working at once (404) and its samples are forgotten.</p>
      {!confirming ? (
        <button type="button" onClick={() => setConfirming(true)}>
          Delete trigger…
        </button>
      ) : (
        <div role="group" aria-label="Confirm deletion">
          <button type="button" className="danger-button" onClick={() => void onDelete().catch((e: unknown) => setError(errorMessage(e)))}>
            Yes, delete it
          </button>
          <button type="button" onClick={() => setConfirming(false)}>
            Keep it
          </button>
        </div>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </section>
  );
}
