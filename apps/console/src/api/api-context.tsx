import { createContext, useContext } from 'react';
import type { ApiClient } from './api-client';

export const ApiContext = createContext<ApiClient | null>(null);

export function useApi(): ApiClient {
  const api = useContext(ApiContext);
  if (!api) throw new Error('useApi outside a signed-in session');
  return api;
}

/**
 * Webhook URLs as create and rotate-token returned them. The API returns a URL only then
 * (it keeps a hash of the token), so the console holds it in memory for this page's life:
 * never in storage, since the URL is a credential.
 */
export interface IssuedUrl {
  url: string;
  previousUrlValidUntil: string | null;
}

export interface IssuedUrls {
  get(triggerId: string): IssuedUrl | undefined;
  set(triggerId: string, issued: IssuedUrl): void;
}

export const IssuedUrlsContext = createContext<IssuedUrls>({ get: () => undefined, set: () => undefined });
