import type { Profile } from '../profiles/schema.js';
import { cliProfileChanges, type FieldChange } from './changes.js';
import { loadCliConfig, renderCliConfig, saveCliConfig } from './config-file.js';
import { linkProfile, type LinkTarget } from './edit.js';
import { LinkedProfiles } from './linked.js';

export interface LinkOptions {
  /** The aliyun CLI's config.json. */
  file: string;
  profile: Pick<Profile, 'name' | 'region'>;
  /** The CLI profile to write (default: the profile's name). */
  cliProfile?: string;
  target: LinkTarget;
  /** A region the person gave: written as the CLI profile's region_id even when it has one. */
  region?: string;
  /** Remember the link (data folder and profile id), so `cli-config status` knows it even after an SDK drops its field. */
  record?: { dataDir: string; profileId: string };
  /** Work out the change and return it, writing nothing (no file, no backup, no record). */
  dryRun?: boolean;
}

export interface LinkResult {
  file: string;
  cliProfile: string;
  /** The CLI profile's mode before, when it existed. */
  previousMode: string | undefined;
  /** The copy of the old file, when there was one. */
  backup: string | undefined;
  changed: boolean;
  /** The CLI profile did not exist before (it is added). */
  created: boolean;
  /** Field by field, what was (or, in a dry run, would be) written. */
  changes: FieldChange[];
}

/** Points one CLI profile at us; retried when another program writes the file at the same moment. */
export async function linkCliProfile(options: LinkOptions): Promise<LinkResult> {
  const cliProfile = options.cliProfile ?? options.profile.name;
  for (let attempt = 0; ; attempt += 1) {
    const loaded = await loadCliConfig(options.file);
    const { config, previousMode } = linkProfile(loaded.config, {
      cliProfile,
      target: options.target,
      region: options.region ?? options.profile.region,
      forceRegion: options.region !== undefined,
    });
    const next = renderCliConfig(config, loaded.text);
    const planned = {
      file: options.file,
      cliProfile,
      previousMode,
      created: !loaded.config.profiles.some((p) => p.name === cliProfile),
      changes: cliProfileChanges(loaded.config, config, cliProfile),
    };
    if (next === loaded.text || options.dryRun) {
      if (!options.dryRun) await remember(options, cliProfile);
      return { ...planned, backup: undefined, changed: next !== loaded.text };
    }
    try {
      const backup = await saveCliConfig(loaded, next);
      await remember(options, cliProfile);
      return { ...planned, backup, changed: true };
    } catch (error) {
      if (attempt >= 2 || (error as { code?: unknown }).code !== 'STORE_LOCKED') throw error;
    }
  }
}

async function remember(options: LinkOptions, cliProfile: string): Promise<void> {
  if (!options.record) return;
  await new LinkedProfiles(options.record.dataDir).record(options.file, {
    [cliProfile]: { profileId: options.record.profileId, mode: options.target.mode },
  });
}

/**
 * After a rotation: every CLI profile whose `credentials_uri` is this profile's gets the new URL,
 * so linked profiles keep working. Returns their names (none: the file was not touched).
 */
export async function relinkCredentialsUri(file: string, profileId: string, uri: string): Promise<string[]> {
  const marker = `/v1/credentials/${profileId}/`;
  for (let attempt = 0; ; attempt += 1) {
    const loaded = await loadCliConfig(file);
    const names = loaded.config.profiles
      .filter(
        (p) => typeof p.credentials_uri === 'string' && p.credentials_uri.includes(marker) && p.credentials_uri !== uri,
      )
      .map((p) => p.name);
    if (names.length === 0 || loaded.text === undefined) return [];
    const set = new Set(names);
    const config = {
      ...loaded.config,
      profiles: loaded.config.profiles.map((p) => (set.has(p.name) ? { ...p, credentials_uri: uri } : p)),
    };
    try {
      await saveCliConfig(loaded, renderCliConfig(config, loaded.text));
      return names;
    } catch (error) {
      if (attempt >= 2 || (error as { code?: unknown }).code !== 'STORE_LOCKED') throw error;
    }
  }
}
