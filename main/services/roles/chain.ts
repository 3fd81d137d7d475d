import { AppError, isAppError } from '../core/errors.js';
import type { Profile, ProfilesFile } from '../profiles/schema.js';
import { SITE_STS_ENDPOINTS } from './settings.js';

/** Finds a profile by id (a ProfileStore's `resolve` fits). */
export type ProfileLookup = (id: string) => Promise<Profile>;

/**
 * The chain from a role profile down to the profile that signs in: `[role, source, ..., signed-in
 * profile]`. A loop is ROLE_CYCLE; a source that no longer exists is PROFILE_NOT_FOUND, both in
 * words that name the profiles.
 */
export async function resolveChain(profile: Profile, lookup: ProfileLookup): Promise<Profile[]> {
  const chain = [profile];
  for (let current = profile; current.role;) {
    const sourceId = current.role.sourceProfileId;
    const looped = chain.find((p) => p.id === sourceId);
    if (looped) throw cycle([...chain, looped]);
    const source: Profile = await lookup(sourceId).catch((error: unknown) => {
      if (isAppError(error, 'PROFILE_NOT_FOUND')) throw sourceMissing(current);
      throw error;
    });
    chain.push(source);
    current = source;
  }
  return chain;
}

/** The same walk over a file in hand (for `profile add`, before anything is stored). */
export function chainIn(file: ProfilesFile, profile: Profile): Promise<Profile[]> {
  return resolveChain(profile, async (id) => {
    const found = file.profiles.find((p) => p.id === id);
    if (!found) throw new AppError('PROFILE_NOT_FOUND', `There is no profile with id ${id}.`);
    return found;
  });
}

/** The role profiles that take their credentials straight from this profile. */
function dependentsOf(file: ProfilesFile, profileId: string): Profile[] {
  return file.profiles.filter((p) => p.role?.sourceProfileId === profileId);
}

/**
 * ROLE_SOURCE_IN_USE, naming them, when role profiles take their credentials from this profile:
 * a removal keeps it rather than taking them along (a role profile may be someone's daily driver).
 * Every removal (CLI and window) should ask this first.
 */
export function refuseIfSource(file: ProfilesFile, profile: Pick<Profile, 'id' | 'name'>): void {
  const dependents = dependentsOf(file, profile.id);
  if (dependents.length === 0) return;
  const one = dependents.length === 1;
  throw new AppError(
    'ROLE_SOURCE_IN_USE',
    `Role profile${one ? '' : 's'} ${dependents.map((p) => `"${p.name}"`).join(', ')} take${one ? 's' : ''} credentials ` +
      `from "${profile.name}", so it stays. Remove ${one ? 'that profile' : 'those profiles'} first (alicloud-signin profile remove NAME).`,
  );
}

/**
 * Where a role profile calls AssumeRole: its own `--sts-endpoint`, else its site's. A custom site
 * has no known STS endpoint, so its role profiles must name one.
 */
export function stsEndpointOf(profile: Profile): string {
  const own = profile.role?.stsEndpoint;
  if (own) return own;
  if (profile.site !== 'custom') return SITE_STS_ENDPOINTS[profile.site];
  throw new AppError(
    'INVALID_INPUT',
    `Role profile "${profile.name}" is on a custom site, which has no known STS endpoint. Add it again with --sts-endpoint URL.`,
  );
}

/** "roleB → roleA → alice". */
export function chainText(chain: readonly Pick<Profile, 'name'>[]): string {
  return chain.map((p) => p.name).join(' → ');
}

function cycle(chain: readonly Profile[]): AppError {
  return new AppError(
    'ROLE_CYCLE',
    `Role profiles take their credentials from each other in a loop (${chainText(chain)}), so none of them can get any. ` +
      'Remove one of them and add it again with --from a profile that signs in.',
  );
}

function sourceMissing(profile: Profile): AppError {
  return new AppError(
    'PROFILE_NOT_FOUND',
    `Role profile "${profile.name}" takes its credentials from a profile that no longer exists. ` +
      `Remove it (alicloud-signin profile remove ${profile.name}) and add it again with --from an existing profile.`,
  );
}
