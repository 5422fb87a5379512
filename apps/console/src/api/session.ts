// The API key lives in sessionStorage only: it is gone when the browser tab closes, and it is
// never written to localStorage or a cookie.
const KEY = 'hookline.apiKey';

export function loadApiKey(storage: Storage = window.sessionStorage): string | null {
  return storage.getItem(KEY);
}

export function saveApiKey(apiKey: string, storage: Storage = window.sessionStorage): void {
  storage.setItem(KEY, apiKey);
}

export function clearApiKey(storage: Storage = window.sessionStorage): void {
  storage.removeItem(KEY);
}
