import { z } from 'zod';
import {
  CALLBACK_PATH,
  isHttpsUrl,
  isPortRange,
  normaliseRegion,
  PROFILE_ID,
  PROFILE_NAME,
  REGION,
  ROLE_ARN,
  ROLE_EXTERNAL_ID,
  ROLE_SESSION_NAME,
} from '../../../shared/fields.js';
import { PROFILES_SCHEMA_VERSION, withRoleStatuses } from './file-shape.js';

export const SiteId = z.enum(['cn', 'intl', 'custom']);
export type SiteId = z.infer<typeof SiteId>;

const httpsUrl = z.url().refine(isHttpsUrl, 'an https:// URL');

/** A region as OSS names it (`cn-hangzhou`); `oss-cn-hangzhou` and capitals are taken too. */
export const Region = z.string().transform(normaliseRegion).pipe(z.string().regex(REGION));

/** Every endpoint of a custom site, given explicitly (no discovery). */
export const Endpoints = z.object({
  issuer: httpsUrl,
  authorization: httpsUrl,
  token: httpsUrl,
  revocation: httpsUrl.optional(),
  exchange: httpsUrl.optional(),
  jwks: httpsUrl,
});
export type Endpoints = z.infer<typeof Endpoints>;

/** A port range for the loopback redirect, or 0 for an ephemeral port. */
export const PortRange = z.union([
  z.literal(0),
  z
    .object({ from: z.number().int(), to: z.number().int() })
    .refine(isPortRange, 'ports from 1024 to 65535, running from low to high'),
]);
export type PortRange = z.infer<typeof PortRange>;

export const Redirect = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('loopback'),
    ports: PortRange,
    callbackPath: z.string().regex(CALLBACK_PATH),
  }),
  // The desktop app's registered URL scheme (alicloud-signin://callback).
  z.object({ kind: z.literal('scheme') }),
]);
export type Redirect = z.infer<typeof Redirect>;

export const ClientSettings = z.object({
  clientId: z.string().min(1).max(200),
  /** Undefined: no `scope` parameter, and the site grants all of the application's scopes. */
  scopes: z.array(z.string().min(1)).optional(),
  redirect: Redirect,
  prompt: z.string().optional(),
  /**
   * Send an OpenID `nonce` (custom sites only; on unless false). cn and intl never send one: the
   * official CLI does not, and Alibaba documents no such parameter.
   */
  nonce: z.boolean().optional(),
});
export type ClientSettings = z.infer<typeof ClientSettings>;

/** The non-secret identity read from the ID token. */
export const Identity = z.object({
  sub: z.string(),
  aid: z.string().optional(),
  uid: z.string().optional(),
  type: z.enum(['account', 'user', 'role']).optional(),
  name: z.string().optional(),
  upn: z.string().optional(),
  loginName: z.string().optional(),
});
export type Identity = z.infer<typeof Identity>;

export const ProfileStatus = z.enum(['signed-out', 'signed-in', 'expired', 'needs-attention']);
export type ProfileStatus = z.infer<typeof ProfileStatus>;

const isoTime = z.iso.datetime({ offset: true });

/**
 * A role profile: its credentials come from STS AssumeRole called with another profile's STS
 * credentials (that profile may be a role too); it has no sign-in of its own.
 */
export const RoleSettings = z.object({
  arn: z.string().regex(ROLE_ARN, 'a role ARN: acs:ram::ACCOUNT:role/ROLE'),
  /** The profile whose credentials assume the role (by id, so a rename keeps the link). */
  sourceProfileId: z.string().regex(PROFILE_ID),
  sessionName: z.string().regex(ROLE_SESSION_NAME),
  durationSeconds: z.number().int().min(900).max(43200),
  externalId: z.string().regex(ROLE_EXTERNAL_ID).optional(),
  /** Unset: the source site's STS endpoint. */
  stsEndpoint: httpsUrl.optional(),
});
export type RoleSettings = z.infer<typeof RoleSettings>;

export const Profile = z.object({
  id: z.string().regex(PROFILE_ID),
  name: z.string().regex(PROFILE_NAME, 'letters, digits, dot, dash and underscore, up to 64'),
  site: SiteId,
  client: ClientSettings,
  /** Only for the custom site; cn and intl take theirs from the site table. */
  endpoints: Endpoints.optional(),
  region: Region,
  ossEndpoint: httpsUrl.optional(),
  identity: Identity.optional(),
  /** When the current tokens run out (server time), for display and notifications. */
  accessTokenExpiresAt: isoTime.optional(),
  refreshTokenExpiresAt: isoTime.optional(),
  signedInAt: isoTime.optional(),
  /** When the sign-in was last refreshed, by any process (a new sign-in clears it). */
  refreshedAt: isoTime.optional(),
  status: ProfileStatus,
  /** Whether the local credential broker may serve this profile. */
  brokerEnabled: z.boolean().default(true),
  createdAt: isoTime,
  updatedAt: isoTime,
  /** Set for a role profile (see RoleSettings). */
  role: RoleSettings.optional(),
});
export type Profile = z.infer<typeof Profile>;

export const ProfilesFile = z
  .object({
    version: z.literal(PROFILES_SCHEMA_VERSION),
    activeProfileId: z.string().nullable(),
    profiles: z.array(Profile),
  })
  .transform(withRoleStatuses);
export type ProfilesFile = z.infer<typeof ProfilesFile>;
