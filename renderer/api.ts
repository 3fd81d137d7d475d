import { createContext, useContext } from 'react';
import { API_KEY, type DesktopApi } from '../shared/api';

/** The bridge the preload exposes; tests and the e2e page hand in their own. */
export const ApiContext = createContext<DesktopApi | null>(null);

export function useApi(): DesktopApi {
  const api = useContext(ApiContext);
  if (!api) throw new Error('The window has no bridge to the app (window.alicloud is missing).');
  return api;
}

export function windowApi(): DesktopApi | undefined {
  return (window as unknown as Partial<Record<typeof API_KEY, DesktopApi>>)[API_KEY];
}
