import type { ClockRecord } from '../clock/clock-file.js';
import type { Services } from '../context.js';
import type { Profile } from '../profiles/schema.js';

/*
 * What is known locally about a profile's sign-in (`whoami`), in a module of its own: it needs
 * the profile file, the keychain and the clock file, and none of the sign-in code.
 */

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
  const refreshTokenStored = await deps.secrets.has(profile.id);
  return {
    profile,
    activeProfileId: file.activeProfileId,
    refreshTokenStored,
    clock: await deps.clockFile.read(),
  };
}
