import { signIn, type SignInDeps, type SignInOptions } from '../auth/signin.js';
import { signOut, type Revocation } from '../auth/signout.js';
import type { ClockRecord } from '../clock/clock-file.js';
import type { Services } from '../context.js';
import type { Profile } from '../profiles/schema.js';
import type { RefreshOutcome } from '../tokens/token-service.js';
import type { ProfileLifecycleDeps } from './profiles.js';

/*
 * A profile's sign-in, both front-ends: sign in, sign out, refresh now, and what is known about it.
 * The STS credentials this process holds for a profile never outlive the sign-in they came from.
 */

/** Signs in through the system browser (or a pasted URL, or a deep link); see auth/signin.ts. */
export async function signInProfile(
  deps: SignInDeps & { sts: Pick<Services['sts'], 'forget'> },
  profileRef: string | undefined,
  options: SignInOptions = {},
): Promise<Profile> {
  const profile = await signIn(deps, profileRef, options);
  // Credentials held from the previous sign-in (another identity, perhaps) are not this one's.
  deps.sts.forget(profile.id);
  return profile;
}

/** Revokes the refresh token at the site (the outcome is reported), deletes it, forgets the credentials. */
export async function signOutProfile(
  deps: ProfileLifecycleDeps,
  profileRef: string | undefined,
): Promise<{ profile: Profile; revocation: Revocation }> {
  const result = await signOut(deps, profileRef);
  deps.sts?.forget(result.profile.id);
  return result;
}

/** Refreshes the sign-in now (once per profile across processes); the profile as it is after. */
export async function refreshProfile(
  deps: Pick<Services, 'store' | 'tokens'>,
  profileRef: string | undefined,
): Promise<{ profile: Profile; outcome: RefreshOutcome }> {
  const profile = await deps.store.resolve(profileRef);
  const outcome = await deps.tokens.refresh(profile.id);
  return { profile: await deps.store.resolve(profile.id), outcome };
}

export interface ProfileStatus {
  profile: Profile;
  activeProfileId: string | null;
  /** Whether the keychain holds its refresh token. */
  refreshTokenStored: boolean;
  /** The last clock measurements (a clock far off explains refused requests). */
  clock: ClockRecord[];
}

/** Who is signed in, and until when; reads nothing from the network (`whoami`). */
export async function profileStatus(
  deps: Pick<Services, 'store' | 'secrets' | 'clockFile'>,
  profileRef: string | undefined,
): Promise<ProfileStatus> {
  const profile = await deps.store.resolve(profileRef);
  const file = await deps.store.read();
  const refreshTokenStored = (await deps.secrets.get(profile.id)) !== null;
  return {
    profile,
    activeProfileId: file.activeProfileId,
    refreshTokenStored,
    clock: await deps.clockFile.read(),
  };
}
