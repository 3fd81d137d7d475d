import type { Profile, ProfilesFile } from './schema.js';

/*
 * What the profiles file's readers need besides the schema itself, kept free of zod: a read of a
 * file the schema has already checked (store/checked-file.ts) loads none of it.
 */

/** Bumped when the file's shape changes; `migrate` in the store brings old files forward. */
export const PROFILES_SCHEMA_VERSION = 1;

export function emptyProfilesFile(): ProfilesFile {
  return { version: PROFILES_SCHEMA_VERSION, activeProfileId: null, profiles: [] };
}

/**
 * A role profile's status is its source's (followed down a chain of roles), so every reader (the
 * broker, the CLI, the window) sees a role signed out the moment its source is. A chain that
 * loops or names a missing profile needs attention; it is never a reason to refuse the file.
 */
export function withRoleStatuses<F extends { profiles: Profile[] }>(file: F): F {
  const byId = new Map(file.profiles.map((p) => [p.id, p]));
  for (const profile of file.profiles) {
    if (!profile.role) continue;
    let current: Profile | undefined = profile;
    const seen = new Set<string>();
    while (current?.role && !seen.has(current.id)) {
      seen.add(current.id);
      current = byId.get(current.role.sourceProfileId);
    }
    profile.status = current && !current.role ? current.status : 'needs-attention';
  }
  return file;
}
