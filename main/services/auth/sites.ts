import { AppError } from '../core/errors.js';
import { normaliseRegion } from '../../../shared/fields.js';
import type { ClientSettings, Endpoints, Profile, SiteId } from '../profiles/schema.js';

/** A site's endpoints plus where its console federation lives. */
export interface SiteEndpoints extends Endpoints {
  /** Alibaba's console federation endpoint (GetSigninToken / Login). */
  federation?: string;
}

interface KnownSite {
  label: string;
  endpoints: SiteEndpoints;
  /** The official CLI application of the site (seed 002), used unless a profile sets its own. */
  officialClientId: string;
}

function site(label: string, signinHost: string, oauthHost: string, officialClientId: string): KnownSite {
  return {
    label,
    officialClientId,
    endpoints: {
      issuer: oauthHost,
      authorization: `${signinHost}/oauth2/v1/auth`,
      token: `${oauthHost}/v1/token`,
      revocation: `${oauthHost}/v1/revoke`,
      exchange: `${oauthHost}/v1/exchange`,
      jwks: `${oauthHost}/v1/keys`,
      federation: `${signinHost}/federation`,
    },
  };
}

export const KNOWN_SITES: Readonly<Record<Exclude<SiteId, 'custom'>, KnownSite>> = {
  cn: site('China site', 'https://signin.aliyun.com', 'https://oauth.aliyun.com', '4038181954557748008'),
  intl: site(
    'International site',
    'https://signin.alibabacloud.com',
    'https://oauth.alibabacloud.com',
    '4103531455503354461',
  ),
};

/** The official CLI application's redirect: it tries these ports in order. */
const OFFICIAL_PORTS = { from: 12345, to: 12349 } as const;
const OFFICIAL_CALLBACK_PATH = '/cli/callback';

export function defaultClientSettings(siteId: Exclude<SiteId, 'custom'>): ClientSettings {
  return {
    clientId: KNOWN_SITES[siteId].officialClientId,
    redirect: { kind: 'loopback', ports: { ...OFFICIAL_PORTS }, callbackPath: OFFICIAL_CALLBACK_PATH },
  };
}

export function siteLabel(siteId: SiteId): string {
  return siteId === 'custom' ? 'Custom site' : KNOWN_SITES[siteId].label;
}

/** The endpoints a profile talks to: the site's, or its own for a custom site. */
export function endpointsOf(profile: Pick<Profile, 'site' | 'endpoints' | 'name'>): SiteEndpoints {
  if (profile.site !== 'custom') return KNOWN_SITES[profile.site].endpoints;
  if (!profile.endpoints) {
    throw new AppError('INVALID_INPUT', `Profile "${profile.name}" uses a custom site but has no endpoints.`);
  }
  return profile.endpoints;
}

/** OSS's public endpoint for a region; `oss-cn-hangzhou` is taken as `cn-hangzhou`, never `oss-oss-`. */
export function defaultOssEndpoint(region: string): string {
  return `https://oss-${normaliseRegion(region)}.aliyuncs.com`;
}

/** The endpoint fields that say where tokens go. */
const TOKEN_ENDPOINT_KEYS = ['issuer', 'authorization', 'token', 'revocation', 'exchange', 'jwks'] as const;

/** What says where a profile's tokens go: its site, its client id and (custom site) its endpoints. */
export type SiteIdentity = Pick<Profile, 'site' | 'client' | 'endpoints'>;

/**
 * Whether `after` sends tokens somewhere other than `before` does: another site, client id, issuer
 * or endpoint. A refresh token of one must never reach the other.
 */
export function pointsElsewhere(before: SiteIdentity, after: SiteIdentity): boolean {
  if (before.site !== after.site || before.client.clientId !== after.client.clientId) return true;
  const a: Partial<Endpoints> = before.endpoints ?? {};
  const b: Partial<Endpoints> = after.endpoints ?? {};
  return TOKEN_ENDPOINT_KEYS.some((key) => a[key] !== b[key]);
}
