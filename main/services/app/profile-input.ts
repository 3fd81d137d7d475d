import { defaultClientSettings } from '../auth/sites.js';
import { AppError } from '../core/errors.js';
import type { ClientSettings, Endpoints, PortRange, Profile, Redirect, SiteId } from '../profiles/schema.js';
import type { NewProfile, ProfilePatch } from '../store/profile-store.js';

/**
 * A profile as a person describes it, from either front-end: the CLI's `profile add` flags and the
 * window's add form both become this, and `buildProfile` is the one place that turns it into what
 * the store keeps (the store's schema then checks every field).
 */
export interface ProfileInput {
  name: string;
  site: SiteId;
  /** Absent: the site's official CLI application (cn, intl); a custom site needs its own. */
  clientId?: string;
  /** Absent: no `scope` parameter, and the site grants all of the application's scopes. */
  scopes?: string[];
  prompt?: string;
  /** Custom sites only: false sends no OpenID nonce. */
  nonce?: boolean;
  redirect?: Redirect['kind'];
  /** Default: the official application's ports on cn and intl, any free port on a custom site. */
  ports?: PortRange;
  /** Default: the official application's path on cn and intl, `/callback` on a custom site. */
  callbackPath?: string;
  /** Every endpoint of a custom site (and only of one). */
  endpoints?: Endpoints;
  /** Default: the site's usual region (DEFAULT_REGION). */
  region?: string;
  ossEndpoint?: string;
}

/** A custom site's (and your own application's) redirect path unless one is given. */
export const DEFAULT_CALLBACK_PATH = '/callback';

/** Where a profile's OSS and STS calls go unless a region is given. */
export const DEFAULT_REGION: Readonly<Record<SiteId, string>> = {
  cn: 'cn-hangzhou',
  intl: 'ap-southeast-1',
  custom: 'cn-hangzhou',
};

/** The profile to store for `input`; INVALID_INPUT in words for a combination that cannot work. */
export function buildProfile(input: ProfileInput): NewProfile {
  if (input.site === 'custom' && !input.endpoints) {
    throw invalid('A custom site needs its endpoints: issuer, authorization, token and JWKS (https:// URLs).');
  }
  if (input.site !== 'custom' && input.endpoints) {
    throw invalid('Endpoints can only be set for a custom site; cn and intl use their own.');
  }
  // cn and intl send what the official CLI sends, which has no nonce: the choice is a custom site's.
  if (input.nonce !== undefined && input.site !== 'custom') {
    throw invalid('The nonce can only be turned off for a custom site; cn and intl never send one.');
  }
  return {
    name: input.name,
    site: input.site,
    client: clientOf(input),
    ...(input.endpoints ? { endpoints: input.endpoints } : {}),
    region: input.region ?? DEFAULT_REGION[input.site],
    ...(input.ossEndpoint ? { ossEndpoint: input.ossEndpoint } : {}),
  };
}

function clientOf(input: ProfileInput): ClientSettings {
  const official = input.site === 'custom' ? undefined : defaultClientSettings(input.site);
  const clientId = input.clientId ?? official?.clientId;
  if (!clientId) throw invalid('A custom site needs the client ID (AppId) of your OAuth application.');
  const officialLoopback = official?.redirect.kind === 'loopback' ? official.redirect : undefined;
  return {
    clientId,
    ...(input.scopes && input.scopes.length > 0 ? { scopes: input.scopes } : {}),
    ...(input.prompt ? { prompt: input.prompt } : {}),
    ...(input.nonce === false ? { nonce: false } : {}),
    redirect:
      input.redirect === 'scheme'
        ? { kind: 'scheme' }
        : {
            kind: 'loopback',
            ports: input.ports ?? officialLoopback?.ports ?? 0,
            callbackPath: input.callbackPath ?? officialLoopback?.callbackPath ?? DEFAULT_CALLBACK_PATH,
          },
  };
}

/** What an edit may change (the window's edit form; `null` puts the OSS endpoint back to the region's). */
export interface ProfileChanges {
  name?: string;
  region?: string;
  ossEndpoint?: string | null;
  clientId?: string;
  redirect?: Redirect['kind'];
  endpoints?: Endpoints;
}

/** Turns an edit into a patch for ProfileStore.patch (editProfile decides whether it signs out first). */
export function patchFromChanges(profile: Profile, changes: ProfileChanges): ProfilePatch {
  const patch: ProfilePatch = {};
  if (changes.name !== undefined) patch.name = changes.name;
  if (changes.region !== undefined) patch.region = changes.region;
  if (changes.ossEndpoint !== undefined) patch.ossEndpoint = changes.ossEndpoint ?? undefined;
  if (changes.endpoints !== undefined) {
    if (profile.site !== 'custom') throw invalid('Only a custom site has its own endpoints.');
    patch.endpoints = changes.endpoints;
  }
  if (changes.clientId !== undefined || changes.redirect !== undefined) {
    const client: ClientSettings = { ...profile.client };
    if (changes.clientId !== undefined) client.clientId = changes.clientId;
    if (changes.redirect !== undefined && changes.redirect !== profile.client.redirect.kind) {
      client.redirect =
        changes.redirect === 'scheme'
          ? { kind: 'scheme' }
          : { kind: 'loopback', ports: 0, callbackPath: DEFAULT_CALLBACK_PATH };
    }
    patch.client = client;
  }
  return patch;
}

function invalid(message: string): AppError {
  return new AppError('INVALID_INPUT', message);
}
