import { AppError } from '../core/errors.js';
import type { StsCredentials } from '../oss/types.js';

/** Set in every exec'd command: which profile it runs as (and how a nested exec knows). */
const EXEC_PROFILE_ENV = 'ALICLOUD_SIGNIN_PROFILE';
/** Read by Alibaba's SDKs (credentials chain) and the aliyun CLI. */
const CREDENTIALS_URI_ENV = 'ALIBABA_CLOUD_CREDENTIALS_URI';

/** Static keys, by the names Alibaba's SDKs and the aliyun CLI read, then Terraform's alicloud provider. */
const KEY_NAMES = {
  accessKeyId: ['ALIBABA_CLOUD_ACCESS_KEY_ID', 'ALICLOUD_ACCESS_KEY'],
  accessKeySecret: ['ALIBABA_CLOUD_ACCESS_KEY_SECRET', 'ALICLOUD_SECRET_KEY'],
  securityToken: ['ALIBABA_CLOUD_SECURITY_TOKEN', 'ALICLOUD_SECURITY_TOKEN'],
} as const;
const REGION_NAMES = ['ALIBABA_CLOUD_REGION_ID', 'ALICLOUD_REGION'] as const;

/**
 * Keys a command could inherit from the shell, which would win over the profile's: every name
 * exec sets, and the older spellings the aliyun CLI still reads.
 */
const INHERITED_KEYS = [
  ...Object.values(KEY_NAMES).flat(),
  'ALIBABACLOUD_ACCESS_KEY_ID',
  'ALIBABACLOUD_ACCESS_KEY_SECRET',
  'ALIBABACLOUD_SECURITY_TOKEN',
  'ALICLOUD_ACCESS_KEY_ID',
  'ALICLOUD_ACCESS_KEY_SECRET',
];

export interface ExecProfile {
  name: string;
  /** Undefined: the region variables are left as the shell has them. */
  region: string | undefined;
}

/** What the command's environment carries: the keys themselves, or where to fetch them. */
export type ExecCredentials = { kind: 'static'; credentials: StsCredentials } | { kind: 'uri'; uri: string };

/**
 * The command's environment: the shell's, without any credentials it held, plus the profile's.
 * With a URI the static key variables are absent, so the SDKs' default chain (which reads them
 * first) reaches `ALIBABA_CLOUD_CREDENTIALS_URI`; with static keys a URI left from an outer exec
 * is dropped, so nothing points at another profile's endpoint.
 */
export function childEnv(base: NodeJS.ProcessEnv, profile: ExecProfile, given: ExecCredentials): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  for (const name of INHERITED_KEYS) delete env[name];
  delete env[CREDENTIALS_URI_ENV];
  if (given.kind === 'static') {
    for (const [field, names] of Object.entries(KEY_NAMES) as [keyof typeof KEY_NAMES, readonly string[]][]) {
      for (const name of names) env[name] = given.credentials[field];
    }
  } else env[CREDENTIALS_URI_ENV] = given.uri;
  if (profile.region !== undefined) for (const name of REGION_NAMES) env[name] = profile.region;
  env[EXEC_PROFILE_ENV] = profile.name;
  return env;
}

/**
 * Refuses an exec inside an exec for another profile (unless forced): the inner command would
 * quietly run as a different account than the shell around it says.
 */
export function checkNesting(env: NodeJS.ProcessEnv, profileName: string, force: boolean): void {
  const active = env[EXEC_PROFILE_ENV];
  if (force || !active || active === profileName) return;
  throw new AppError(
    'EXEC_NESTED',
    `This shell already runs inside alicloud-signin exec for profile "${active}" (${EXEC_PROFILE_ENV}); ` +
      `refusing to run profile "${profileName}" inside it. Leave that shell first, or add --force.`,
  );
}
