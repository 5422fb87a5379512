// Two screens under /console/ need no router library: the path is read from the location and
// changed with the History API (the gateway answers index.html for every /console/ path).
import { useEffect, useState } from 'react';

export const BASE = '/console';

export type Route = { name: 'triggers' } | { name: 'trigger'; triggerId: string };

export function parseRoute(pathname: string): Route {
  const rest = pathname.startsWith(BASE) ? pathname.slice(BASE.length) : pathname;
  const match = /^\/triggers\/([^/]+)\/?$/.exec(rest);
  if (match) return { name: 'trigger', triggerId: decodeURIComponent(match[1]) };
  return { name: 'triggers' };
}

export function hrefOf(route: Route): string {
  return route.name === 'trigger' ? `${BASE}/triggers/${encodeURIComponent(route.triggerId)}` : `${BASE}/`;
}

export function navigate(route: Route): void {
  window.history.pushState(null, '', hrefOf(route));
  window.dispatchEvent(new PopStateEvent('popstate'));
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.pathname));
  useEffect(() => {
    const update = () => setRoute(parseRoute(window.location.pathname));
    window.addEventListener('popstate', update);
    return () => window.removeEventListener('popstate', update);
  }, []);
  return route;
}
