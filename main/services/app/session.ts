import { signIn, type SignInDeps, type SignInOptions } from '../auth/signin.js';
import { signOut, type Revocation } from '../auth/signout.js';
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
