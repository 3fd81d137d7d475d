import { defaultClientSettings } from '../services/auth/sites.js';
import { AppError } from '../services/core/errors.js';
import type { ClientSettings, Endpoints, Profile, Redirect } from '../services/profiles/schema.js';
import type { NewProfile, ProfilePatch } from '../services/store/profile-store.js';
import type { ParsedRequestOf } from '../../preload/contract.js';
import { DEMO_CLIENT_ID } from './demo-profile.js';


/** Where the running demo site lives (its ports change per start). */
export interface DemoEndpoints {
  endpoints: Endpoints;
  ossEndpoint: string;
}

export const DEFAULT_CALLBACK_PATH = '/callback';
const DEFAULT_REGION = { cn: 'cn-hangzhou', intl: 'ap-southeast-1' } as const;

/** Turns what the add form sent into a new profile; `demo` is needed for the demo preset. */
export function profileFromDraft(draft: ParsedRequestOf<'profiles:add'>, demo?: DemoEndpoints): NewProfile {
  switch (draft.preset) {
    case 'cn':
    case 'intl':
      return {
        name: draft.name,
        site: draft.preset,
        client: defaultClientSettings(draft.preset),
        region: draft.region ?? DEFAULT_REGION[draft.preset],
        ...(draft.ossEndpoint ? { ossEndpoint: draft.ossEndpoint } : {}),
      };
    case 'own-app': {
      if (!draft.clientId) throw new AppError('INVALID_INPUT', 'Your own application needs its client ID (AppId).');
      const site = draft.site ?? 'cn';
      return {
        name: draft.name,
        site: draft.endpoints ? 'custom' : site,
        client: { clientId: draft.clientId, redirect: redirectOf(draft.redirect ?? 'loopback', draft.ports) },
        ...(draft.endpoints ? { endpoints: draft.endpoints } : {}),
        region: draft.region ?? DEFAULT_REGION[site],
        ...(draft.ossEndpoint ? { ossEndpoint: draft.ossEndpoint } : {}),
      };
    }
    case 'demo':
      if (!demo) throw new AppError('INTERNAL', 'The demo site is not running.');
      return {
        name: draft.name,
        site: 'custom',
        client: { clientId: DEMO_CLIENT_ID, redirect: redirectOf('loopback', 0) },
        endpoints: demo.endpoints,
        region: 'cn-hangzhou',
        ossEndpoint: demo.ossEndpoint,
      };
  }
}

/** Turns an edit into a patch for ProfileStore.patch. */
export function patchFromChanges(profile: Profile, changes: ParsedRequestOf<'profiles:update'>['changes']): ProfilePatch {
  const patch: ProfilePatch = {};
  if (changes.name !== undefined) patch.name = changes.name;
  if (changes.region !== undefined) patch.region = changes.region;
  if (changes.ossEndpoint !== undefined) patch.ossEndpoint = changes.ossEndpoint ?? undefined;
  if (changes.endpoints !== undefined) {
    if (profile.site !== 'custom') throw new AppError('INVALID_INPUT', 'Only a custom site has its own endpoints.');
    patch.endpoints = changes.endpoints;
  }
  if (changes.clientId !== undefined || changes.redirect !== undefined) {
    const client: ClientSettings = { ...profile.client };
    if (changes.clientId !== undefined) client.clientId = changes.clientId;
    if (changes.redirect !== undefined && changes.redirect !== profile.client.redirect.kind) {
      client.redirect = redirectOf(changes.redirect, undefined);
    }
    patch.client = client;
  }
  return patch;
}

function redirectOf(kind: 'loopback' | 'scheme', ports: Extract<Redirect, { kind: 'loopback' }>['ports'] | undefined): Redirect {
  return kind === 'scheme' ? { kind: 'scheme' } : { kind: 'loopback', ports: ports ?? 0, callbackPath: DEFAULT_CALLBACK_PATH };
}
