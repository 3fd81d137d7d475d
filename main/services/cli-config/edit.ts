import type { CliConfig, CliProfile, Json } from './config-file.js';

/** How a CLI profile reaches us: a command it runs, or a URL it fetches. */
export type LinkTarget = { mode: 'external'; processCommand: string } | { mode: 'uri'; credentialsUri: string };

export interface LinkRequest {
  /** The profile's name in the aliyun CLI. */
  cliProfile: string;
  target: LinkTarget;
  /** Written only when the CLI profile has no region (the CLI refuses a profile without one)... */
  region: string;
  /** ...or always, when the person gave one. */
  forceRegion?: boolean;
}

/** Fields that hold credentials or tokens in plaintext; `--scrub` removes them from imported profiles. */
export const SECRET_FIELDS = [
  'oauth_access_token',
  'oauth_refresh_token',
  'oauth_access_token_expire',
  'oauth_refresh_token_expire',
  'access_key_id',
  'access_key_secret',
  'sts_token',
  'sts_expiration',
] as const;

/**
 * A copy of `config` where only the named profile changed: `mode` and its field are set, the
 * other broker mode's field dropped, a region added if missing; every other key of it and of the
 * file, in order, and every other profile stay exactly as they were. A missing profile is added
 * (and becomes `current` when the file had none).
 */
export function linkProfile(
  config: CliConfig,
  request: LinkRequest,
): { config: CliConfig; previousMode: string | undefined } {
  const index = config.profiles.findIndex((p) => p.name === request.cliProfile);
  const existing = index >= 0 ? config.profiles[index] : undefined;
  const profile: CliProfile = existing ? { ...existing } : { name: request.cliProfile };
  const previousMode = typeof existing?.mode === 'string' ? existing.mode : undefined;
  if (request.target.mode === 'external') {
    profile.mode = 'External';
    profile.process_command = request.target.processCommand;
    delete profile.credentials_uri;
  } else {
    profile.mode = 'CredentialsURI';
    profile.credentials_uri = request.target.credentialsUri;
    delete profile.process_command;
  }
  if (request.forceRegion || typeof profile.region_id !== 'string' || profile.region_id === '')
    profile.region_id = request.region;
  const profiles = [...config.profiles];
  if (index >= 0) profiles[index] = profile;
  else profiles.push(profile);
  const next: CliConfig = { ...config, profiles };
  if (typeof next.current !== 'string' || next.current === '') next.current = request.cliProfile;
  return { config: next, previousMode };
}

/**
 * What Alibaba's Go and Python SDKs write back, in plaintext, into an External profile they got
 * credentials from (the Go SDK writes them as "" and 0 into every other profile it rewrites).
 */
const WRITTEN_BACK_FIELDS = ['access_key_id', 'access_key_secret', 'sts_token', 'sts_expiration'] as const;

/** Whether an SDK left usable STS keys in the profile (empty strings and zeros are not keys). */
export function hasWrittenBackKeys(profile: CliProfile): boolean {
  return WRITTEN_BACK_FIELDS.some((field) => {
    const value = profile[field];
    return (typeof value === 'string' && value !== '') || (typeof value === 'number' && value !== 0);
  });
}

/** The profile without the fields SDKs write back (every other key kept). */
export function dropWrittenBack(profile: CliProfile): CliProfile {
  const copy: CliProfile = { ...profile };
  for (const field of WRITTEN_BACK_FIELDS) delete copy[field];
  return copy;
}

/** The profile without its plaintext tokens and STS fields (every other key kept). */
export function scrubProfile(profile: CliProfile): CliProfile {
  const copy: CliProfile = { ...profile };
  for (const field of SECRET_FIELDS) delete copy[field];
  return copy;
}

/** A CLI profile in OAuth mode (any case, as the CLI accepts), with what an import needs. */
export interface OAuthProfile {
  name: string;
  refreshToken: string | undefined;
  /** `cn` or `intl` from `oauth_site_type`; undefined when missing or unknown. */
  site: 'cn' | 'intl' | undefined;
  region: string | undefined;
  /** Unix seconds, when the CLI recorded it. */
  refreshTokenExpire: number | undefined;
}

export function oauthProfiles(config: CliConfig): OAuthProfile[] {
  return config.profiles
    .filter((p) => typeof p.mode === 'string' && p.mode.toLowerCase() === 'oauth')
    .map((p) => ({
      name: p.name,
      refreshToken: nonEmpty(p.oauth_refresh_token),
      site: siteOf(p.oauth_site_type),
      region: nonEmpty(p.region_id),
      refreshTokenExpire: typeof p.oauth_refresh_token_expire === 'number' ? p.oauth_refresh_token_expire : undefined,
    }));
}

function siteOf(value: Json | undefined): 'cn' | 'intl' | undefined {
  if (typeof value !== 'string') return undefined;
  const upper = value.toUpperCase();
  return upper === 'CN' ? 'cn' : upper === 'INTL' ? 'intl' : undefined;
}

function nonEmpty(value: Json | undefined): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Applies `fn` to the named profiles only; the rest (and their order) stay as they were. */
export function mapProfiles(
  config: CliConfig,
  names: ReadonlySet<string>,
  fn: (profile: CliProfile) => CliProfile,
): CliConfig {
  return { ...config, profiles: config.profiles.map((p) => (names.has(p.name) ? fn(p) : p)) };
}
