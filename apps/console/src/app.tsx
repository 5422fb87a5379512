import { useMemo, useRef, useState } from 'react';
import { ApiClient, ApiError, errorMessage } from './api/api-client';
import { ApiContext, type IssuedUrl, IssuedUrlsContext, type IssuedUrls } from './api/api-context';
import { clearApiKey, loadApiKey, saveApiKey } from './api/session';
import { hrefOf, navigate, useRoute } from './lib/router';
import { SignInForm } from './sign-in/sign-in-form';
import { TriggerPage } from './triggers/trigger-page';
import { TriggersPage } from './triggers/triggers-page';

export function App() {
  const [apiKey, setApiKey] = useState(() => loadApiKey());
  const [signIn, setSignIn] = useState<{ busy: boolean; error: string | null }>({ busy: false, error: null });
  const route = useRoute();
  const api = useMemo(() => (apiKey ? new ApiClient(apiKey) : null), [apiKey]);
  const urls = useRef(new Map<string, IssuedUrl>());
  const issuedUrls = useMemo<IssuedUrls>(() => ({ get: (id) => urls.current.get(id), set: (id, issued) => void urls.current.set(id, issued) }), []);

  const onSignIn = async (key: string) => {
    setSignIn({ busy: true, error: null });
    try {
      // Any read proves the key; the list is the cheapest.
      await new ApiClient(key).listTriggers();
      saveApiKey(key);
      setApiKey(key);
      setSignIn({ busy: false, error: null });
    } catch (error) {
      setSignIn({ busy: false, error: error instanceof ApiError && error.status === 401 ? 'This API key is not valid (or was revoked).' : errorMessage(error) });
    }
  };
  const signOut = () => {
    clearApiKey();
    urls.current.clear();
    setApiKey(null);
  };

  if (!api) return <SignInForm onSignIn={(key) => void onSignIn(key)} error={signIn.error} busy={signIn.busy} />;
  return (
    <ApiContext.Provider value={api}>
      <IssuedUrlsContext.Provider value={issuedUrls}>
        <header className="topbar">
          <a
            href={hrefOf({ name: 'triggers' })}
            className="brand"
            onClick={(e) => {
              e.preventDefault();
              navigate({ name: 'triggers' });
            }}
          >
            Hookline
          </a>
          <nav aria-label="Account">
            <button type="button" onClick={signOut}>
              Sign out
            </button>
          </nav>
        </header>
        {route.name === 'trigger' ? <TriggerPage key={route.triggerId} triggerId={route.triggerId} onUnauthorized={signOut} /> : <TriggersPage onUnauthorized={signOut} />}
      </IssuedUrlsContext.Provider>
    </ApiContext.Provider>
  );
}
