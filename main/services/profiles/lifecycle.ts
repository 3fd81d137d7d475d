import { signOut, type Revocation, type SignOutDeps } from '../auth/signout.js';
import { tellBroker } from '../broker/uri-link.js';
import { uriSecretAccount } from '../broker/uri-secrets.js';
import { lockFilePath } from '../core/paths.js';
import { refuseIfSource } from '../roles/chain.js';
import { withLock } from '../store/file-lock.js';
import { findProfile, type ProfilePatch } from '../store/profile-store.js';
import type { Endpoints, Profile } from './schema.js';

/**
 * Removing and re-pointing a profile: the window and the CLI both call these, so what a removal
 * deletes, or when an edit signs out, cannot differ between them.
 */
export interface ProfileLifecycleDeps extends SignOutDeps {
  env?: NodeJS.ProcessEnv;
}

export interface ProfileChangeResult {
  profile: Profile;
  /** Present when the change pointed the profile at another site, which signed it out first. */
  signedOut?: Revocation;
}

/**
 * Signs the profile out (revoked at its site, keychain entry deleted), deletes its broker secret
 * (`broker-uri:<id>`), removes it, and tells a running broker to forget it. A profile that role
 * profiles take credentials from stays (ROLE_SOURCE_IN_USE).
 */
export async function removeProfile(
  deps: ProfileLifecycleDeps,
  profileRef: string,
): Promise<{ profile: Profile; revocation: Revocation }> {
  const file = await deps.store.read();
  const target = findProfile(file, profileRef);
  if (target) refuseIfSource(file, target);
  const { profile, revocation } = await signOut(deps, profileRef);
  await deps.secrets.delete(uriSecretAccount(profile.id));
  await deps.store.remove(profile.id);
  await tellBroker(brokerDeps(deps), { op: 'reload' });
  return { profile, revocation };
}

/** The endpoint fields that say where tokens go; any change of one is a change of site. */
const ENDPOINT_KEYS = ['issuer', 'authorization', 'token', 'revocation', 'exchange', 'jwks'] as const;

/**
 * Whether `patch` points the profile at another site or application: another site, client id,
 * issuer or endpoint. The refresh token belongs to the old one and must never reach the new one.
 */
export function changesSite(profile: Profile, patch: ProfilePatch): boolean {
  if (patch.site !== undefined && patch.site !== profile.site) return true;
  if (patch.client !== undefined && patch.client.clientId !== profile.client.clientId) return true;
  if (!('endpoints' in patch)) return false;
  const before: Partial<Endpoints> = profile.endpoints ?? {};
  const after: Partial<Endpoints> = patch.endpoints ?? {};
  return ENDPOINT_KEYS.some((key) => before[key] !== after[key]);
}

/**
 * Applies an edit. One that changes the site signs the profile out first: the refresh token is
 * revoked at the OLD site and deleted from the keychain, and only then are the new endpoints
 * saved. That happens under the profile's refresh lock, so a refresh in another process (the
 * broker) either finishes at the old site before, or finds no token after.
 */
export async function updateProfile(
  deps: ProfileLifecycleDeps,
  profileRef: string,
  patch: ProfilePatch | ((profile: Profile) => ProfilePatch),
): Promise<ProfileChangeResult> {
  const current = await deps.store.resolve(profileRef);
  const first = typeof patch === 'function' ? patch(current) : patch;
  if (!changesSite(current, first)) return { profile: await deps.store.patch(current.id, first) };

  const result = await withLock(
    lockFilePath(deps.store.dir, `refresh-${current.id}`),
    async () => {
      const { profile, revocation } = await signOut(deps, current.id);
      // Worked out again on what sign-out left, so it cannot put back what sign-out cleared.
      const next = typeof patch === 'function' ? patch(profile) : patch;
      return { profile: await deps.store.patch(profile.id, next), signedOut: revocation };
    },
    { timeoutMs: 60_000 },
  );
  await tellBroker(brokerDeps(deps), { op: 'reload', profile: current.id });
  return result;
}

function brokerDeps(deps: ProfileLifecycleDeps) {
  return { dataDir: deps.store.dir, secrets: deps.secrets, ...(deps.env ? { env: deps.env } : {}) };
}
