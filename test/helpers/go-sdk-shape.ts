/**
 * What Alibaba's Go SDK (credentials-go, CLIProfileCredentialsProvider) leaves in
 * ~/.aliyun/config.json after it got credentials from an External profile: it reads the file into
 * its own profile struct, writes the STS keys it got into that profile, and writes the whole file
 * back from the struct: `current` and `profiles` only, every profile with exactly the struct's
 * fields in its order (zero values where the file had none), four-space indent. Whatever the
 * struct lacks is gone, `credentials_uri` among it. Written from the behaviour, for tests.
 */
const GO_PROFILE_FIELDS: ReadonlyArray<readonly [string, string | number | boolean]> = [
  ['name', ''],
  ['mode', ''],
  ['access_key_id', ''],
  ['access_key_secret', ''],
  ['sts_token', ''],
  ['region_id', ''],
  ['ram_role_arn', ''],
  ['ram_session_name', ''],
  ['expired_seconds', 0],
  ['sts_region', ''],
  ['enable_vpc', false],
  ['source_profile', ''],
  ['ram_role_name', ''],
  ['oidc_token_file', ''],
  ['oidc_provider_arn', ''],
  ['policy', ''],
  ['external_id', ''],
  ['cloud_sso_sign_in_url', ''],
  ['cloud_sso_account_id', ''],
  ['cloud_sso_access_config', ''],
  ['access_token', ''],
  ['cloud_sso_access_token_expire', 0],
  ['oauth_site_type', ''],
  ['oauth_refresh_token', ''],
  ['oauth_access_token', ''],
  ['oauth_access_token_expire', 0],
  ['sts_expiration', 0],
  ['process_command', ''],
];

type Profile = Record<string, unknown> & { name: string };

export interface WrittenBack {
  access_key_id: string;
  access_key_secret: string;
  sts_token: string;
  /** Unix seconds. */
  sts_expiration: number;
}

function reduce(profile: Profile): Record<string, unknown> {
  return Object.fromEntries(
    GO_PROFILE_FIELDS.map(([key, zero]) => {
      const value = profile[key];
      return [key, typeof value === typeof zero ? value : zero];
    }),
  );
}

/** The file's text after the Go SDK resolved External profile `used` and got `keys`. */
export function goSdkWriteBack(
  config: { current?: string; profiles: Profile[] },
  used: string,
  keys: WrittenBack,
): string {
  const profiles = config.profiles.map((p) => (p.name === used ? { ...reduce(p), ...keys } : reduce(p)));
  // Go's encoder writes struct fields in declaration order; spread above keeps that order.
  const ordered = profiles.map((p) => Object.fromEntries(GO_PROFILE_FIELDS.map(([key]) => [key, p[key]])));
  return `${JSON.stringify({ current: config.current ?? '', profiles: ordered }, null, 4)}\n`;
}
