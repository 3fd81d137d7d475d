import type { Profile } from '../profiles/schema.js';
import type { ProfileStore } from '../store/profile-store.js';

/** Makes a profile the active one (what commands without a NAME use). */
export function useProfile(deps: { store: ProfileStore }, profileRef: string): Promise<Profile> {
  return deps.store.setActive(profileRef);
}
