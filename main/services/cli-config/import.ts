import { defaultClientSettings } from '../auth/sites.js';
import { toAppError, type ErrorCode } from '../core/errors.js';
import { normaliseRegion } from '../../../shared/fields.js';
import { Region, type Profile } from '../profiles/schema.js';
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

type ImportOutcome = 'imported' | 'already-imported' | 'failed' | 'skipped';

interface ImportItem {
  cliProfile: string;
  outcome: ImportOutcome;
  /** Our profile holding the token now. */
  profile?: string;
  /** For `failed`: the error code. */
  code?: ErrorCode;
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

/** What an import would do with one CLI profile, decided from the files alone (nothing written). */
type Plan =
  | { kind: 'skip'; message: string }
  | { kind: 'already'; existing: Profile }
  | { kind: 'new'; token: string; input: NewProfile };

async function planOne(
  profiles: readonly Profile[],
  /** Names in use: the profiles', and in a preview those earlier candidates would take. */
  taken: readonly Pick<Profile, 'name'>[],
  ledger: ImportedTokens,
  candidate: OAuthProfile,
  like: Profile | undefined,
): Promise<Plan> {
  const token = candidate.refreshToken;
  if (!token) return { kind: 'skip', message: 'it holds no refresh token' };
  const earlier = await ledger.profileFor(token);
  const existing = earlier ? profiles.find((p) => p.id === earlier) : undefined;
  if (existing) return { kind: 'already', existing };
  const site = like?.site ?? candidate.site;
  if (!site) return { kind: 'skip', message: 'its oauth_site_type is neither CN nor INTL (use --like PROFILE)' };
  return {
    kind: 'new',
    token,
    input: {
      name: freeName(candidate.name, taken),
      site,
      client: like?.client ?? defaultClientSettings(site === 'intl' ? 'intl' : 'cn'),
      ...(like?.endpoints ? { endpoints: like.endpoints } : {}),
      ...(like?.ossEndpoint ? { ossEndpoint: like.ossEndpoint } : {}),
      // The CLI's region_id may be in the endpoint form (oss-cn-hangzhou) too.
      region:
        candidate.region && Region.safeParse(candidate.region).success
          ? normaliseRegion(candidate.region)
          : (like?.region ?? 'cn-hangzhou'),
    },
  };
}

async function importOne(
  deps: ImportDeps,
  ledger: ImportedTokens,
  candidate: OAuthProfile,
  like: Profile | undefined,
): Promise<{ item: ImportItem; profile?: Profile }> {
  const cliProfile = candidate.name;
  const { profiles } = await deps.store.read();
  const plan = await planOne(profiles, profiles, ledger, candidate, like);
  if (plan.kind === 'skip') return { item: { cliProfile, outcome: 'skipped', message: plan.message } };
  if (plan.kind === 'already') {
    const existing = plan.existing;
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
  const { token, input } = plan;
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

/** What `importCliProfiles` would do with each OAuth profile of the file. */
export interface ImportPreviewItem {
  cliProfile: string;
  /** `import`: a new profile would hold its token (after a verifying refresh, which may still fail). */
  outcome: 'import' | 'already-imported' | 'skipped';
  /** The profile that would hold the token (new name), or holds it already. */
  profile?: string;
  /** For `import`: the site taken from the file (or from `like`). */
  site?: Profile['site'];
  /** The file still holds a refresh token in plaintext for it. */
  holdsToken: boolean;
  message: string;
}

/**
 * The dry run of an import: the OAuth-mode profiles of the file and what would happen to each,
 * with nothing written (no profile, no keychain entry, no refresh: the token is not even sent).
 */
export async function previewImport(
  deps: { store: Pick<ProfileStore, 'read'>; dataDir: string },
  options: Pick<ImportOptions, 'file' | 'like'>,
): Promise<{ file: string; items: ImportPreviewItem[] }> {
  const loaded = await loadCliConfig(options.file);
  const ledger = new ImportedTokens(deps.dataDir);
  const { profiles } = await deps.store.read();
  // Names the earlier candidates would take, so the later ones are previewed as they would be added.
  const taken: Array<Pick<Profile, 'name'>> = [...profiles];
  const items: ImportPreviewItem[] = [];
  for (const candidate of oauthProfiles(loaded.config)) {
    const plan = await planOne(profiles, taken, ledger, candidate, options.like);
    const base = { cliProfile: candidate.name, holdsToken: candidate.refreshToken !== undefined };
    if (plan.kind === 'skip') items.push({ ...base, outcome: 'skipped', message: plan.message });
    else if (plan.kind === 'already')
      items.push({
        ...base,
        outcome: 'already-imported',
        profile: plan.existing.name,
        message: `already imported as "${plan.existing.name}"`,
      });
    else {
      taken.push({ name: plan.input.name });
      items.push({
        ...base,
        outcome: 'import',
        profile: plan.input.name,
        site: plan.input.site,
        message: `would be imported as "${plan.input.name}"`,
      });
    }
  }
  return { file: options.file, items };
}

/** A name our profiles allow and none uses yet (names are unique ignoring case). */
function freeName(wanted: string, profiles: readonly Pick<Profile, 'name'>[]): string {
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
