import { defaultClientSettings } from '../auth/sites.js';
import { toAppError } from '../core/errors.js';
import { normaliseRegion, Region, type Profile } from '../profiles/schema.js';
import type { SecretStore } from '../secrets/secret-store.js';
import type { NewProfile, ProfileStore } from '../store/profile-store.js';
import type { TokenService } from '../tokens/token-service.js';
import { loadCliConfig, renderCliConfig, saveCliConfig, type CliConfig } from './config-file.js';
import { linkProfile, mapProfiles, oauthProfiles, scrubProfile, type LinkTarget, type OAuthProfile } from './edit.js';
import { ImportedTokens } from './imported.js';
import { LinkedProfiles } from './linked.js';

export interface ImportDeps {
  store: Pick<ProfileStore, 'add' | 'remove' | 'read'>;
  secrets: SecretStore;
  tokens: Pick<TokenService, 'refresh' | 'forget'>;
  dataDir: string;
}

export interface ImportOptions {
  /** The aliyun CLI's config.json. */
  file: string;
  /**
   * Remove the plaintext tokens and STS fields of imported profiles and link them to us (the CLI's
   * default: the verifying refresh rotated each token, so the copy left in the file is stale, and
   * the CLI replaying it may make the site revoke the whole grant).
   */
  scrub: boolean;
  /** How a scrubbed CLI profile reaches its new profile (External command or credentials URI). */
  linkTarget: (profile: Profile) => Promise<LinkTarget>;
  /** Take site, client and endpoints from this profile instead of `oauth_site_type`. */
  like?: Profile;
}

export type ImportOutcome = 'imported' | 'already-imported' | 'failed' | 'skipped';

export interface ImportItem {
  cliProfile: string;
  outcome: ImportOutcome;
  /** Our profile holding the token now. */
  profile?: string;
  /** For `failed`: the error code. */
  code?: string;
  message: string;
}

export interface ImportResult {
  file: string;
  items: ImportItem[];
  /** CLI profiles whose tokens were removed from the file and that now point to us. */
  scrubbed: string[];
  backup: string | undefined;
}

/**
 * Moves each OAuth-mode CLI profile's refresh token into the keychain as a new profile and checks
 * it with a refresh. A token that does not verify leaves no profile and no keychain entry behind,
 * and its CLI profile is never touched. With `scrub`, the verified profiles lose their plaintext
 * tokens in the CLI's file and are linked to us, in one atomic write after a backup.
 */
export async function importCliProfiles(deps: ImportDeps, options: ImportOptions): Promise<ImportResult> {
  const loaded = await loadCliConfig(options.file);
  const ledger = new ImportedTokens(deps.dataDir);
  const items: ImportItem[] = [];
  /** CLI profile name -> [our profile, the token the file holds]. */
  const moved = new Map<string, [Profile, string]>();
  for (const candidate of oauthProfiles(loaded.config)) {
    const item = await importOne(deps, ledger, candidate, options.like);
    items.push(item.item);
    if (item.profile && candidate.refreshToken) moved.set(candidate.name, [item.profile, candidate.refreshToken]);
  }
  if (!options.scrub || moved.size === 0) return { file: options.file, items, scrubbed: [], backup: undefined };
  const { scrubbed, backup } = await scrubAndLink(options, moved, deps.dataDir);
  return { file: options.file, items, scrubbed, backup };
}

async function importOne(
  deps: ImportDeps,
  ledger: ImportedTokens,
  candidate: OAuthProfile,
  like: Profile | undefined,
): Promise<{ item: ImportItem; profile?: Profile }> {
  const cliProfile = candidate.name;
  const token = candidate.refreshToken;
  if (!token) return { item: { cliProfile, outcome: 'skipped', message: 'it holds no refresh token' } };
  const file = await deps.store.read();
  const earlier = await ledger.profileFor(token);
  const existing = earlier ? file.profiles.find((p) => p.id === earlier) : undefined;
  if (existing) {
    return {
      item: {
        cliProfile,
        outcome: 'already-imported',
        profile: existing.name,
        message: `already imported as "${existing.name}"`,
      },
      profile: existing,
    };
  }
  const site = like?.site ?? candidate.site;
  if (!site) {
    return {
      item: {
        cliProfile,
        outcome: 'skipped',
        message: 'its oauth_site_type is neither CN nor INTL (use --like PROFILE)',
      },
    };
  }
  const input: NewProfile = {
    name: freeName(cliProfile, file.profiles),
    site,
    client: like?.client ?? defaultClientSettings(site === 'intl' ? 'intl' : 'cn'),
    ...(like?.endpoints ? { endpoints: like.endpoints } : {}),
    ...(like?.ossEndpoint ? { ossEndpoint: like.ossEndpoint } : {}),
    // The CLI's region_id may be in the endpoint form (oss-cn-hangzhou) too.
    region:
      candidate.region && Region.safeParse(candidate.region).success
        ? normaliseRegion(candidate.region)
        : (like?.region ?? 'cn-hangzhou'),
  };
  const profile = await deps.store.add(input);
  try {
    await deps.secrets.set(profile.id, token);
    await deps.tokens.refresh(profile.id);
  } catch (error) {
    const coded = toAppError(error);
    deps.tokens.forget(profile.id);
    await deps.secrets.delete(profile.id).catch(() => false);
    await deps.store.remove(profile.id).catch(() => undefined);
    return { item: { cliProfile, outcome: 'failed', code: coded.code, message: coded.message } };
  }
  await ledger.remember(token, profile.id);
  return {
    item: { cliProfile, outcome: 'imported', profile: profile.name, message: `imported as "${profile.name}"` },
    profile,
  };
}

/** A name our profiles allow and none uses yet (names are unique ignoring case). */
export function freeName(wanted: string, profiles: readonly Pick<Profile, 'name'>[]): string {
  const taken = new Set(profiles.map((p) => p.name.toLowerCase()));
  const base =
    wanted
      .replace(/[^A-Za-z0-9._-]/g, '-')
      .replace(/^[^A-Za-z0-9]+/, '')
      .slice(0, 54) || 'imported';
  for (let i = 0; ; i += 1) {
    const name = i === 0 ? base : i === 1 ? `${base}-cli` : `${base}-cli-${i}`;
    if (!taken.has(name.toLowerCase())) return name;
  }
}

async function scrubAndLink(
  options: ImportOptions,
  moved: Map<string, [Profile, string]>,
  dataDir: string,
): Promise<{ scrubbed: string[]; backup: string | undefined }> {
  const targets = new Map<string, LinkTarget>();
  for (const [cliName, [profile]] of moved) targets.set(cliName, await options.linkTarget(profile));
  for (let attempt = 0; ; attempt += 1) {
    const loaded = await loadCliConfig(options.file);
    // Only profiles that still hold the token we moved: one the CLI changed meanwhile is left alone.
    const names = new Set(
      loaded.config.profiles
        .filter((p) => moved.has(p.name) && moved.get(p.name)?.[1] === p.oauth_refresh_token)
        .map((p) => p.name),
    );
    if (names.size === 0) return { scrubbed: [], backup: undefined };
    let next: CliConfig = mapProfiles(loaded.config, names, scrubProfile);
    for (const name of names) {
      const [profile] = moved.get(name) as [Profile, string];
      next = linkProfile(next, {
        cliProfile: name,
        target: targets.get(name) as LinkTarget,
        region: profile.region,
      }).config;
    }
    // The backup keeps everything but the moved tokens: they live in the keychain now (and are rotated out).
    const backupText =
      loaded.text === undefined
        ? undefined
        : renderCliConfig(mapProfiles(loaded.config, names, scrubProfile), loaded.text);
    try {
      const backup = await saveCliConfig(loaded, renderCliConfig(next, loaded.text), backupText);
      await new LinkedProfiles(dataDir).record(
        options.file,
        Object.fromEntries(
          [...names].map((name) => {
            const [profile] = moved.get(name) as [Profile, string];
            return [name, { profileId: profile.id, mode: (targets.get(name) as LinkTarget).mode }];
          }),
        ),
      );
      return { scrubbed: [...names], backup };
    } catch (error) {
      if (attempt >= 2 || (error as { code?: unknown }).code !== 'STORE_LOCKED') throw error;
    }
  }
}
