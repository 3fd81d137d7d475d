/**
 * The ONE map of what crosses between the window and main: every channel with its request schema
 * (parsed in main, never trusted) and its response type, and every event with its payload.
 * The renderer imports types only; the preload builds its domain verbs from this file; main binds
 * a handler for each channel through one wrapper that checks the sender and parses the request.
 */
import { z } from 'zod';
import type { Bucket } from '../main/services/oss/types.js';
import {
  Endpoints,
  PortRange,
  type Identity,
  type ProfileStatus,
  type SiteId,
} from '../main/services/profiles/schema.js';
import { ById, Empty, HttpsUrl, ProfileId, ProfileName, Region, type WireError } from './contract-base.js';
import { hubRequests, type HubResponses } from './contract-hub.js';
import type { ErrorCode } from './errors.js';
import { ROLE_ARN, ROLE_EXTERNAL_ID, ROLE_SESSION_NAME } from './fields.js';

export type { ErrorCode, Identity, WireError };
export * from './contract-hub.js';

// ---------------------------------------------------------------- requests

/** How a profile is made: a preset, and the few things a person may change for it. */
export const ProfileDraft = z.strictObject({
  name: ProfileName,
  /** cn/intl: the official CLI application; own-app: your application on cn/intl (or custom
   * endpoints); demo: the project's offline demo site, started on loopback when asked for. */
  preset: z.enum(['cn', 'intl', 'own-app', 'demo']),
  /** For own-app: which site the application lives on. */
  site: z.enum(['cn', 'intl']).optional(),
  clientId: z.string().trim().min(1).max(200).optional(),
  region: Region.optional(),
  ossEndpoint: HttpsUrl.optional(),
  /** Advanced: the endpoints of another OAuth site (makes the profile a custom site). */
  endpoints: Endpoints.optional(),
  redirect: z.enum(['loopback', 'scheme']).optional(),
  ports: PortRange.optional(),
});
export type ProfileDraft = z.input<typeof ProfileDraft>;

export const ProfileChanges = z.strictObject({
  name: ProfileName.optional(),
  region: Region.optional(),
  /** null: back to the region's default endpoint. */
  ossEndpoint: HttpsUrl.nullable().optional(),
  clientId: z.string().trim().min(1).max(200).optional(),
  redirect: z.enum(['loopback', 'scheme']).optional(),
  endpoints: Endpoints.optional(),
});
export type ProfileChanges = z.input<typeof ProfileChanges>;

/**
 * A role profile (`profile add NAME --assume-role ARN --from SOURCE ...`), its source picked from
 * the list by id. Bounds the role's rules decide (the duration's) are checked by the use-case.
 */
export const RoleDraft = z.strictObject({
  name: ProfileName,
  roleArn: z.string().trim().regex(ROLE_ARN),
  from: ProfileId,
  sessionName: z.string().regex(ROLE_SESSION_NAME).optional(),
  durationSeconds: z.number().int().min(1).max(999_999).optional(),
  externalId: z.string().regex(ROLE_EXTERNAL_ID).optional(),
  region: Region.optional(),
  /** Where AssumeRole goes; a source on a custom site needs one (a demo source: the demo's STS). */
  stsEndpoint: HttpsUrl.optional(),
});
export type RoleDraft = z.input<typeof RoleDraft>;

/** Channel → request schema. Adding a channel here forces a response type and a handler. */
export const requests = {
  'profiles:list': Empty,
  'profiles:add': ProfileDraft,
  /** Assumes the role once before storing it (as `profile add --assume-role` does). */
  'profiles:add-role': RoleDraft,
  'profiles:update': z.strictObject({ id: ProfileId, changes: ProfileChanges }),
  'profiles:remove': ById,
  'profiles:activate': ById,
  'auth:sign-in': ById,
  'auth:cancel-sign-in': ById,
  /** Opens the authorization URL of the sign-in in progress again (only that URL). */
  'auth:open-browser': ById,
  'auth:sign-out': ById,
  'buckets:list': ById,
  'app:copy-text': z.strictObject({ text: z.string().min(1).max(16_384) }),
  'app:info': Empty,
  /** The credential broker this app runs, or the one it uses (another process's). */
  'broker:status': Empty,
  /** The app's own settings: "Start at login" (off until a person turns it on). */
  'app:settings': Empty,
  'app:set-settings': z.strictObject({ startAtLogin: z.boolean() }),
  ...hubRequests,
} as const satisfies Record<string, z.ZodType>;

export type Channel = keyof typeof requests;
export const CHANNELS = Object.keys(requests) as Channel[];
/** What a caller sends (before parsing). */
export type RequestOf<C extends Channel> = z.input<(typeof requests)[C]>;
/** What a handler receives (after parsing). */
export type ParsedRequestOf<C extends Channel> = z.output<(typeof requests)[C]>;

// ---------------------------------------------------------------- responses

/** A profile as the window sees it: no secrets, the effective endpoints filled in. */
export interface ProfileView {
  id: string;
  name: string;
  site: SiteId;
  /** The project's demo site (clearly labelled in the UI). */
  demo: boolean;
  active: boolean;
  region: string;
  /** The OSS endpoint in use (the profile's own or the region's default). */
  ossEndpoint: string;
  ossEndpointCustom: boolean;
  clientId: string;
  /** Uses the official CLI application of its site. */
  officialClient: boolean;
  redirect: 'loopback' | 'scheme';
  /** Loopback only: "12345-12349", "43123" or "any". */
  ports?: string;
  /** Custom sites only. */
  endpoints?: Endpoints;
  authorizationEndpoint: string;
  identity?: Identity;
  status: ProfileStatus;
  accessTokenExpiresAt?: string;
  refreshTokenExpiresAt?: string;
  signedInAt?: string;
  /** A role profile: the role it assumes, and the profile whose credentials assume it (null: gone). */
  role?: { arn: string; accountId: string; roleName: string; source: string | null };
}

export interface ProfilesSnapshot {
  activeProfileId: string | null;
  profiles: ProfileView[];
  /** Server time minus local time as last measured (0 before any answer). */
  clockOffsetMs: number;
}

type RevocationOutcome = 'revoked' | 'not-signed-in' | 'unsupported' | 'failed';
export interface SignOutResult {
  profile: ProfileView | null;
  revocation: RevocationOutcome;
  /** When the revocation failed. */
  error?: WireError;
}

/** One bucket as the window shows it: the OSS client's own shape. */
export type BucketView = Bucket;

export interface BucketList {
  profileId: string;
  endpoint: string;
  owner: { id: string; displayName: string };
  buckets: BucketView[];
}

export interface DemoInfo {
  /** Logins on the demo site's page, all with the same password. */
  logins: string[];
  password: string;
}

export interface AppInfo {
  version: string;
  platform: string;
  demo: DemoInfo;
}

/** What the window says about the broker: "running in this app", "running (pid N, started by the CLI)". */
export type BrokerStatusView =
  /** This window's backend runs no broker (an end-to-end bridge, a test). */
  | { state: 'off' }
  | { state: 'starting' }
  | { state: 'serving'; pid: number; port: number; startedAt: string }
  | { state: 'attached'; pid: number; port: number; startedAt: string; startedBy: 'this-app' | 'cli' }
  | { state: 'failed'; error: WireError }
  | { state: 'stopped' };

export interface AppSettings {
  startAtLogin: boolean;
  /** false where the app cannot start at login (then the setting is not offered). */
  startAtLoginSupported: boolean;
}

/** A role profile stored: checked (STS issued credentials for it), or not yet, and why. */
export interface RoleAdded {
  profile: ProfileView;
  /** The source is not signed in, or STS was out of reach: it is assumed on first use. */
  unchecked?: WireError;
}

export interface Responses extends HubResponses {
  'profiles:list': ProfilesSnapshot;
  'profiles:add': ProfileView;
  'profiles:add-role': RoleAdded;
  'profiles:update': ProfileView;
  'profiles:remove': SignOutResult;
  'profiles:activate': ProfilesSnapshot;
  'auth:sign-in': ProfileView;
  'auth:cancel-sign-in': { cancelled: boolean };
  'auth:open-browser': { opened: boolean };
  'auth:sign-out': SignOutResult;
  'buckets:list': BucketList;
  'app:copy-text': { copied: boolean };
  'app:info': AppInfo;
  'broker:status': BrokerStatusView;
  'app:settings': AppSettings;
  'app:set-settings': AppSettings;
}

// Every channel has a response type and nothing else does (a compile error otherwise).
type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const _channelsMatch: Exact<Channel, keyof Responses> = true;
void _channelsMatch;

export type Result<T> = { ok: true; value: T } | { ok: false; error: WireError };
export type ResultOf<C extends Channel> = Result<Responses[C]>;

// ---------------------------------------------------------------- events

export type SignInPhase =
  | { kind: 'waiting'; url: string; redirectUri: string; deadline: number; browserOpened: boolean }
  | { kind: 'exchanging' }
  | { kind: 'finished'; profile: ProfileView }
  | { kind: 'failed'; error: WireError };

export interface Events {
  'profiles-changed': ProfilesSnapshot;
  'sign-in-progress': { profileId: string; phase: SignInPhase };
  'buckets-progress': { profileId: string; page: number; received: number; truncated: boolean };
  'broker-changed': BrokerStatusView;
  /** The broker's audit log changed on disk (this app's broker or another's): read it again. */
  'audit-changed': { at: string };
}
export type EventName = keyof Events;

/**
 * Each event once, derived from `Events`: a key missing here (or one too many) is a compile error,
 * so the transports, which forward exactly EVENT_NAMES, cannot leave a new event out.
 */
const EVENT_KEYS: { readonly [E in EventName]: true } = {
  'profiles-changed': true,
  'sign-in-progress': true,
  'buckets-progress': true,
  'broker-changed': true,
  'audit-changed': true,
};
export const EVENT_NAMES = Object.keys(EVENT_KEYS) as EventName[];
