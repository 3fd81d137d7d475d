import { SIGNED_OUT } from '../auth/signout.js';
import type { Services } from '../context.js';
import type { Endpoints, Profile } from '../profiles/schema.js';
import type { ProfileStore } from '../store/profile-store.js';
import type { ProfileInput } from './profile-input.js';

/** The demo site's public client: the demo provider registers it, demo profiles sign in with it. */
export const DEMO_CLIENT_ID = '4012345678901234567';

/** Where the running demo site lives (its ports change with every start). */
export interface DemoSiteAddress {
  endpoints: Endpoints;
  ossEndpoint: string;
}

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

/** A new profile on the running demo site (the window's "Try the demo" and `alicloud-signin demo`). */
export function demoProfileInput(name: string, site: DemoSiteAddress): ProfileInput {
  return {
    name,
    site: 'custom',
    clientId: DEMO_CLIENT_ID,
    ports: 0,
    endpoints: site.endpoints,
    region: 'cn-hangzhou',
    ossEndpoint: site.ossEndpoint,
  };
}

/** Whether a demo profile already points at this run of the demo site. */
function pointsAt(profile: Pick<Profile, 'endpoints' | 'ossEndpoint'>, site: DemoSiteAddress): boolean {
  return profile.endpoints?.issuer === site.endpoints.issuer && profile.ossEndpoint === site.ossEndpoint;
}

/** The window's demo profile follows the demo site it runs: same profile, this run's ports. */
export async function followDemoSite(store: ProfileStore, profile: Profile, site: DemoSiteAddress): Promise<Profile> {
  if (pointsAt(profile, site)) return profile;
  return store.patch(profile.id, { endpoints: site.endpoints, ossEndpoint: site.ossEndpoint });
}

/**
 * `alicloud-signin demo` points an existing demo profile at this run's ports. A sign-in from an
 * earlier run died with that run's site, so it is forgotten here (keychain entry deleted) rather
 * than failing later.
 */
export async function repointDemoProfile(
  deps: Pick<Services, 'store' | 'secrets' | 'tokens'>,
  profile: Profile,
  site: DemoSiteAddress,
): Promise<Profile> {
  if (profile.status !== 'signed-out') {
    await deps.secrets.delete(profile.id);
    deps.tokens.forget(profile.id);
  }
  return deps.store.patch(profile.id, { endpoints: site.endpoints, ossEndpoint: site.ossEndpoint, ...SIGNED_OUT });
}
