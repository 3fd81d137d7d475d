import { signOut, type Revocation, type SignOutDeps } from '../auth/signout.js';
import { pointsElsewhere } from '../auth/sites.js';
import { tellBroker } from '../broker/uri-link.js';
import { uriSecretAccount } from '../broker/uri-secrets.js';
import type { Services } from '../context.js';
import { AppError, isAppError } from '../core/errors.js';
import { lockFilePath } from '../core/paths.js';
import type { Profile } from '../profiles/schema.js';
import { refuseIfSource } from '../roles/chain.js';
import { pendingProfile, planRoleProfile, type RoleProfileRequest } from '../roles/new-role.js';
import { withLock } from '../store/file-lock.js';
import { findProfile, type NewProfile, type ProfilePatch, type ProfileStore } from '../store/profile-store.js';
import { buildProfile, type ProfileInput } from './profile-input.js';

/*
 * Adding, editing, removing and choosing profiles: the window and the CLI both call these, so what
 * a removal deletes, or when an edit signs out, cannot differ between them.
 */

export interface ProfileLifecycleDeps extends SignOutDeps {
  env?: NodeJS.ProcessEnv;
  /** The STS credentials this process holds: a profile signed out or removed keeps none. */
  sts?: Pick<Services['sts'], 'forget'>;
}

export interface ProfileChangeResult {
  profile: Profile;
  /** Present when the change pointed the profile at another site, which signed it out first. */
  signedOut?: Revocation;
}

/** Adds a profile that signs in itself (see buildProfile); the first one becomes the active one. */
export function addProfile(deps: { store: ProfileStore }, input: ProfileInput): Promise<Profile> {
  return deps.store.add(buildProfile(input));
}

export interface RoleProfileAdded {
  profile: Profile;
  /** Why the role could not be tried yet (the source is not signed in, or STS is out of reach). */
  unchecked?: AppError;
}

/**
 * Adds a role profile. The role is assumed once before anything is stored, so a role that does not
 * exist, will not be assumed or refuses the duration fails with its code and leaves no profile.
 * Only when that cannot be tried yet is the profile stored unchecked, and the result says why.
 */
export async function addRoleProfile(
  deps: Pick<Services, 'store' | 'sts'>,
  request: RoleProfileRequest,
): Promise<RoleProfileAdded> {
  const planned = await planRoleProfile(await deps.store.read(), request);
  const unchecked = await tryRole(deps, planned);
  const profile = await deps.store.add(planned);
  return { profile, ...(unchecked ? { unchecked } : {}) };
}

/** Assumes the role once; the error when that cannot be tried yet, undefined when it worked. */
async function tryRole(deps: Pick<Services, 'sts'>, planned: NewProfile): Promise<AppError | undefined> {
  try {
    await deps.sts.check(pendingProfile(planned));
    return undefined;
  } catch (error) {
    const later = ['NOT_SIGNED_IN', 'INVALID_GRANT', 'NETWORK'] as const;
    if (later.some((code) => isAppError(error, code))) return error as AppError;
    throw error;
  }
}

// Choosing a profile loads none of the above: it lives apart, for the CLI's fast `use`.
export { useProfile } from './profile-choice.js';

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
  try {
    const { profile, revocation } = await signOut(deps, profileRef);
    await deps.secrets.delete(uriSecretAccount(profile.id));
    await deps.store.remove(profile.id);
    await tellBroker(brokerDeps(deps), { op: 'reload' });
    return { profile, revocation };
  } finally {
    if (target) deps.sts?.forget(target.id);
  }
}

/**
 * Whether `patch` points the profile at another site or application: another site, client id,
 * issuer or endpoint. The refresh token belongs to the old one and must never reach the new one.
 */
export function changesSite(profile: Profile, patch: ProfilePatch): boolean {
  return pointsElsewhere(profile, {
    site: patch.site ?? profile.site,
    client: patch.client ?? profile.client,
    endpoints: 'endpoints' in patch ? patch.endpoints : profile.endpoints,
  });
}

/**
 * Applies an edit. One that changes the site signs the profile out first: the refresh token is
 * revoked at the OLD site and deleted from the keychain, and only then are the new endpoints
 * saved. That happens under the profile's refresh lock, so a refresh in another process (the
 * broker) either finishes at the old site before, or finds no token after.
 */
export async function editProfile(
  deps: ProfileLifecycleDeps,
  profileRef: string,
  patch: ProfilePatch | ((profile: Profile) => ProfilePatch),
): Promise<ProfileChangeResult> {
  const current = await deps.store.resolve(profileRef);
  const first = typeof patch === 'function' ? patch(current) : patch;
  if (!changesSite(current, first)) return { profile: await deps.store.patch(current.id, first) };
  if (current.role) {
    throw new AppError(
      'INVALID_INPUT',
      `Profile "${current.name}" is a role: it signs in through its source profile, so it has no site, client id or endpoints of its own to change.`,
    );
  }

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
  deps.sts?.forget(current.id);
  await tellBroker(brokerDeps(deps), { op: 'reload', profile: current.id });
  return result;
}

function brokerDeps(deps: ProfileLifecycleDeps) {
  return { dataDir: deps.store.dir, secrets: deps.secrets, ...(deps.env ? { env: deps.env } : {}) };
}
