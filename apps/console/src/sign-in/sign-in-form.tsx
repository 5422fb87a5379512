import { type FormEvent, useState } from 'react';

/** Asks for a workspace API key; `onSignIn` checks it with the API and reports a problem as `error`. */
export function SignInForm({ onSignIn, error, busy }: { onSignIn: (apiKey: string) => void; error: string | null; busy: boolean }) {
  const [apiKey, setApiKey] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const key = apiKey.trim();
    if (key !== '') onSignIn(key);
  };
  return (
    <main className="sign-in">
      <h1>Hookline console</h1>
      <p>Webhook triggers for your journeys: get a URL, map what arrives, go live.</p>
      <form onSubmit={submit} aria-describedby={error ? 'sign-in-error' : undefined}>
        <label htmlFor="api-key">Workspace API key</label>
        <input
          id="api-key"
          name="api-key"
          type="password"
          autoComplete="off"
          spellCheck={false}
          placeholder="hk_…"
          value={apiKey}
          onChange={(e) => setApiKey(e.target.value)}
          aria-invalid={error ? true : undefined}
          required
        />
        <p className="hint">Kept in this browser tab only (session storage): closing the tab signs you out.</p>
        {error && (
          <p id="sign-in-error" role="alert" className="error">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
