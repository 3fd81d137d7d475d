import { z } from 'zod';

/** Bumped when the file's shape changes; `migrate` in the store brings old files forward. */
export const PROFILES_SCHEMA_VERSION = 1;

export const SiteId = z.enum(['cn', 'intl', 'custom']);
export type SiteId = z.infer<typeof SiteId>;

const httpsUrl = z.url({ protocol: /^https$/ });

/**
 * A region as OSS names it (`cn-hangzhou`). People also type the endpoint prefix form
 * (`oss-cn-hangzhou`) or capitals; both are taken and stored in the one form, so nothing built
 * from a region can ever read `oss-oss-...`.
 */
export function normaliseRegion(value: string): string {
  return value.trim().toLowerCase().replace(/^(?:oss-)+/, '');
}

export const Region = z.string().transform(normaliseRegion).pipe(z.string().regex(/^[a-z0-9-]{2,40}$/));

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
    .object({ from: z.number().int().min(1024).max(65535), to: z.number().int().min(1024).max(65535) })
    .refine((r) => r.from <= r.to, 'the range must run from low to high'),
]);
export type PortRange = z.infer<typeof PortRange>;

export const Redirect = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('loopback'),
    ports: PortRange,
    callbackPath: z.string().regex(/^\/[\w\-./~]*$/),
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

export const Profile = z.object({
  id: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/),
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'letters, digits, dot, dash and underscore, up to 64'),
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
});
export type Profile = z.infer<typeof Profile>;

export const ProfilesFile = z.object({
  version: z.literal(PROFILES_SCHEMA_VERSION),
  activeProfileId: z.string().nullable(),
  profiles: z.array(Profile),
});
export type ProfilesFile = z.infer<typeof ProfilesFile>;

export function emptyProfilesFile(): ProfilesFile {
  return { version: PROFILES_SCHEMA_VERSION, activeProfileId: null, profiles: [] };
}
