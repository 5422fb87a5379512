import type { TriggerView } from '@hookline/contracts';
import { type FormEvent, useState } from 'react';
import { errorMessage } from '../api/api-client';
import type { IssuedUrl } from '../api/api-context';
import { CopyButton } from '../components/copy-button';
import { formatTime } from '../lib/format';

/** A ready `curl` line that posts a JSON file to the URL, as a provider would. */
export function curlLine(url: string): string {
  return `curl -X POST '${url}' -H 'content-type: application/json' --data-binary @payload.json`;
}

const GRACES = [
  { seconds: 86_400, label: 'keeps working for 24 hours' },
  { seconds: 3_600, label: 'keeps working for 1 hour' },
  { seconds: 0, label: 'stops working now' },
] as const;

/**
 * Step 1: the URL to paste into the provider. The API returns it only when it is issued
 * (create, rotate-token), so a URL issued earlier cannot be shown again: rotating issues a
 * new one, and the old one keeps working for the grace chosen.
 */
export function UrlPanel({ trigger, issued, onRotate }: { trigger: TriggerView; issued: IssuedUrl | undefined; onRotate: (graceSeconds: number) => Promise<void> }) {
  const [grace, setGrace] = useState<number>(GRACES[0].seconds);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await onRotate(grace);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="url-heading" className="card">
      <h2 id="url-heading">Webhook URL</h2>
      {issued ? (
        <>
          <p>Paste this URL into the system that sends the webhooks, then send it a few sample events. Keep it: it is shown only now.</p>
          <div className="copy-row">
            <label htmlFor="webhook-url">URL</label>
            <input id="webhook-url" readOnly value={issued.url} onFocus={(e) => e.currentTarget.select()} className="mono" />
            <CopyButton text={issued.url} label="Copy URL" />
          </div>
          <div className="copy-row">
            <label htmlFor="curl-line">Try it with curl</label>
            <textarea id="curl-line" readOnly rows={2} value={curlLine(issued.url)} onFocus={(e) => e.currentTarget.select()} className="mono" />
            <CopyButton text={curlLine(issued.url)} label="Copy curl line" />
          </div>
        </>
      ) : (
        <p>Hookline keeps only a hash of the URL&apos;s secret token, so the URL is shown only when it is issued. To get one to paste now, issue a new URL below.</p>
      )}
      {(issued?.previousUrlValidUntil ?? trigger.previousUrlValidUntil) && (
        <p>The previous URL keeps working until {formatTime((issued?.previousUrlValidUntil ?? trigger.previousUrlValidUntil) as string)}.</p>
      )}
      <h3 className="small">A new URL</h3>
      <p className="hint">Issue one to replace a URL that leaked, or to see a URL again.</p>
      <form onSubmit={(e) => void submit(e)} className="inline-form">
        <div className="field">
          <label htmlFor="rotate-grace">The current URL then</label>
          <select id="rotate-grace" value={grace} onChange={(e) => setGrace(Number(e.target.value))}>
            {GRACES.map((g) => (
              <option key={g.seconds} value={g.seconds}>
                {g.label}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" disabled={busy}>
          {busy ? 'Issuing…' : 'Issue a new URL'}
        </button>
      </form>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </section>
  );
}
