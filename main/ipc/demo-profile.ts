import type { Profile } from '../services/profiles/schema.js';

/** The demo site's public client (the same id the demo provider uses by default). */
export const DEMO_CLIENT_ID = '4012345678901234567';

/**
 * A profile made for the project's demo site: a custom site on loopback with the demo client.
 * Its ports change each time the demo starts, so the endpoints are refreshed before use.
 */
export function isDemoProfile(profile: Pick<Profile, 'site' | 'client' | 'endpoints'>): boolean {
  if (profile.site !== 'custom' || profile.client.clientId !== DEMO_CLIENT_ID || !profile.endpoints) return false;
  try {
    return new URL(profile.endpoints.issuer).hostname === '127.0.0.1';
  } catch {
    return false;
  }
}
