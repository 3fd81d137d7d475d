import { readFile } from 'node:fs/promises';
import { PROFILE_ID as ID, PROFILE_NAME as NAME } from '../../../shared/fields.js';
import { profilesFilePath } from '../core/paths.js';

/** The few fields the launcher's fast paths read from a profile. */
export interface ProfileSummary {
  id: string;
  name: string;
  /** Undefined when the file has none in the expected form. */
  region: string | undefined;
}

const REGION = /^[a-z0-9][a-z0-9-]{1,62}$/;

export interface ProfileSummaries {
  activeProfileId: string | undefined;
  profiles: ProfileSummary[];
}

/**
 * Ids, names and regions from the profiles file, for shell completion and `exec` on the fast
 * path, without the schema library (loading it costs more than starting Node). Read-only, and
 * every field is checked before it is used; anything unexpected is left out, never guessed.
 * Commands that change the file, or need more of it, go through the ProfileStore and its schema.
 */
export async function readProfileSummaries(dataDir: string): Promise<ProfileSummaries> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(profilesFilePath(dataDir), 'utf8'));
  } catch {
    return { activeProfileId: undefined, profiles: [] };
  }
  const { profiles, activeProfileId } = (value ?? {}) as { profiles?: unknown; activeProfileId?: unknown };
  const active = typeof activeProfileId === 'string' && ID.test(activeProfileId) ? activeProfileId : undefined;
  if (!Array.isArray(profiles)) return { activeProfileId: active, profiles: [] };
  const summaries: ProfileSummary[] = [];
  for (const entry of profiles as unknown[]) {
    if (!entry || typeof entry !== 'object') continue;
    const { id, name, region } = entry as Record<string, unknown>;
    if (typeof id !== 'string' || !ID.test(id) || typeof name !== 'string' || !NAME.test(name)) continue;
    summaries.push({ id, name, region: typeof region === 'string' && REGION.test(region) ? region : undefined });
  }
  return { activeProfileId: active, profiles: summaries };
}

/** The profile `ref` names (or the active one), matched as the ProfileStore matches names. */
export function findSummary(file: ProfileSummaries, ref: string | undefined): ProfileSummary | undefined {
  if (ref === undefined) return file.profiles.find((p) => p.id === file.activeProfileId);
  const lower = ref.toLowerCase();
  return (
    file.profiles.find((p) => p.name === ref) ??
    file.profiles.find((p) => p.id === ref) ??
    file.profiles.find((p) => p.name.toLowerCase() === lower)
  );
}
