/**
 * The ONE map of what crosses between the window and main: every channel with its request schema
 * (parsed in main, never trusted) and its response type, and every event with its payload.
 * The renderer imports types only; the preload builds its domain verbs from this file; main binds
 * a handler for each channel through one wrapper that checks the sender and parses the request.
 */
import { z } from 'zod';
import type { ErrorCode } from '../main/services/core/errors.js';
import type { Bucket } from '../main/services/oss/types.js';
import { Endpoints, PortRange, Profile, type Identity, type ProfileStatus, type SiteId } from '../main/services/profiles/schema.js';

export type { ErrorCode, Identity, ProfileStatus, SiteId };

// ---------------------------------------------------------------- requests

const ProfileId = Profile.shape.id;
const ProfileName = Profile.shape.name;
const Region = Profile.shape.region;
const HttpsUrl = z.url({ protocol: /^https$/ }).max(2048);
const ById = z.strictObject({ id: ProfileId });
const Empty = z.strictObject({});

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

// ---------------------------------------------------------------- the hub: requests
// Everything the CLI can do, in the window (issue 10 item 3): the broker per profile, the aliyun
// CLI (link with a preview, status and repair, import), the console, the audit log, expiries.

const CliLinkMode = z.enum(['external', 'uri']);
/** An aliyun CLI profile name, as `cli-config link --as` takes it. */
const CliProfileName = z.string().regex(/^[\x21-\x7e][\x20-\x7e]{0,127}$/);
const CliLinkRequest = z.strictObject({ id: ProfileId, mode: CliLinkMode, cliProfile: CliProfileName.optional() });

export const hubRequests = {
  /** The broker's side of one profile: served or not, its URL masked, its last use from the audit log. */
  'broker:profile': ById,
  'broker:switch': z.strictObject({ id: ProfileId, on: z.boolean() }),
  /** The CredentialsURI in full (a secret): only when the person asks to see it. */
  'broker:reveal-url': ById,
  /** Copies the CredentialsURI from main to the clipboard: the page never holds it. */
  'broker:copy-url': ById,
  /** A new secret; linked aliyun CLI profiles get the new URL. */
  'broker:rotate': ById,
  /** What `cli:link` would change in the aliyun CLI's file, field by field (secrets masked); writes nothing. */
  'cli:preview-link': CliLinkRequest,
  'cli:link': CliLinkRequest,
  /** `cli-config status`: every aliyun CLI profile linked to us, and whether it is intact. */
  'cli:status': Empty,
  /** `cli-config status --fix`. */
  'cli:fix': Empty,
  /**
   * The OAuth profiles in the aliyun CLI's file, and what an import would do with each. `like`: take
   * the site, application and endpoints from that profile instead of the file's CN/INTL (`--like`).
   */
  'cli:preview-import': z.strictObject({ like: ProfileId.optional() }),
  /** `cli-config import`: scrubs the CLI's copies unless told to keep them. */
  'cli:import': z.strictObject({
    keepCliTokens: z.boolean(),
    mode: CliLinkMode.optional(),
    like: ProfileId.optional(),
  }),
  /** Signs the browser in to the console through the private local page (never on a command line). */
  'console:open': z.strictObject({ id: ProfileId, destination: HttpsUrl.optional() }),
  /** The broker's audit log, newest first. */
  'audit:list': z.strictObject({ limit: z.number().int().min(1).max(50_000).optional() }),
  /** Every profile's expiries, soonest first, with the tray's warnings in the window's language. */
  'expiry:overview': z.strictObject({ language: z.enum(['en', 'zh-CN']) }),
} as const satisfies Record<string, z.ZodType>;

/** Channel → request schema. Adding a channel here forces a response type and a handler. */
export const requests = {
  'profiles:list': Empty,
  'profiles:add': ProfileDraft,
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

export type RevocationOutcome = 'revoked' | 'not-signed-in' | 'unsupported' | 'failed';
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

export interface Responses extends HubResponses {
  'profiles:list': ProfilesSnapshot;
  'profiles:add': ProfileView;
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

// ---------------------------------------------------------------- the hub: responses

/** One line of the broker's audit log (no secret, no URL, no header is ever in it). */
export interface AuditEntryView {
  time: string;
  /** The profile's name (its id when the name was unknown); null when the request named none. */
  profile: string | null;
  mode: 'CredentialsURI' | 'External' | 'Local';
  outcome: 'ok' | 'refused' | 'refused-uid' | 'error';
  /** Why it was refused, or the error code. */
  reason?: string;
  /** The uid of another user's program that was refused. */
  uid?: number;
  /** Identical requests close together share a line. */
  count: number;
  last?: string;
}

export interface BrokerProfileView {
  profileId: string;
  /** The broker serves this profile (`broker enable|disable`). */
  enabled: boolean;
  /** The CredentialsURI with its secret masked; null until it has one (Show or Copy makes it). */
  maskedUrl: string | null;
  /** The last time the broker handed out this profile's credentials. */
  lastServed: AuditEntryView | null;
  /** Credentials handed out since midnight (local time), all clients. */
  servedToday: number;
  /** The last refusal or error, when newer than the last hand-out. */
  lastProblem: AuditEntryView | null;
}

/** A field a link changes; values are text, with the secret of a CredentialsURI masked. */
export interface CliFieldChange {
  scope: 'profile' | 'file';
  field: string;
  action: 'add' | 'set' | 'remove';
  before?: string;
  after?: string;
}

export interface CliLinkPreview {
  configPath: string;
  cliProfile: string;
  /** The CLI profile does not exist yet. */
  created: boolean;
  previousMode: string | null;
  changes: CliFieldChange[];
  /** Linking in CredentialsURI mode makes the profile's URL secret first. */
  newSecret: boolean;
}

export interface CliLinkDone {
  configPath: string;
  cliProfile: string;
  changed: boolean;
  /** The copy of the previous file. */
  backup: string | null;
  previousMode: string | null;
  /** The External command runs a wrapper script (this install's path has a space or a quote). */
  wrapper: { file: string; warning: string | null } | null;
}

export type CliLinkProblem =
  | 'mode'
  | 'profile-missing'
  | 'process-command-missing'
  | 'process-command-stale'
  | 'wrapper-missing'
  | 'wrapper-stale'
  | 'credentials-uri-missing'
  | 'credentials-uri-stale'
  | 'written-back-keys';

export interface CliLinkView {
  /** The aliyun CLI profile. */
  name: string;
  /** Our profile it gets credentials from (null: gone). */
  linkedTo: string | null;
  linkedToId: string | null;
  kind: 'external' | 'uri';
  mode: string | null;
  intact: boolean;
  problems: CliLinkProblem[];
}

export interface CliStatusView {
  configPath: string;
  links: CliLinkView[];
  /** After a repair: the CLI profiles fixed, and the backup of the previous file. */
  fixed?: string[];
  backup?: string | null;
}

export interface ImportPreviewView {
  configPath: string;
  items: Array<{
    cliProfile: string;
    outcome: 'import' | 'already-imported' | 'skipped';
    /** The profile that will hold its token (the name it gets), or holds it already. */
    profile: string | null;
    site: SiteId | null;
    /** The file holds its refresh token in plaintext now. */
    holdsToken: boolean;
    /** Why it is skipped. */
    reason: 'no-token' | 'unknown-site' | null;
  }>;
}

export interface ImportDone {
  configPath: string;
  items: Array<{
    cliProfile: string;
    outcome: 'imported' | 'already-imported' | 'failed' | 'skipped';
    profile: string | null;
    error: WireError | null;
  }>;
  /** CLI profiles whose tokens left the file (now linked to us). */
  scrubbed: string[];
  backup: string | null;
}

export interface ExpiryRow {
  profileId: string;
  name: string;
  status: ProfileStatus;
  /** A role profile: its sign-in is its source's. */
  role: boolean;
  refreshTokenExpiresAt: string | null;
  /** When the STS credentials held now (by this app or its broker) run out. */
  stsExpiresAt: string | null;
  /** The tray's warnings for this profile, in the language asked for. */
  warnings: string[];
}

export interface ExpiryOverview {
  /** When it was worked out (main's clock). */
  at: string;
  /** Soonest expiry first; profiles with none last. */
  rows: ExpiryRow[];
}

export interface HubResponses {
  'broker:profile': BrokerProfileView;
  'broker:switch': BrokerProfileView;
  'broker:reveal-url': { url: string };
  'broker:copy-url': { copied: boolean };
  'broker:rotate': { profile: BrokerProfileView; relinked: string[] };
  'cli:preview-link': CliLinkPreview;
  'cli:link': CliLinkDone;
  'cli:status': CliStatusView;
  'cli:fix': CliStatusView;
  'cli:preview-import': ImportPreviewView;
  'cli:import': ImportDone;
  'console:open': { opened: boolean };
  'audit:list': { entries: AuditEntryView[] };
  'expiry:overview': ExpiryOverview;
}

// Every channel has a response type and nothing else does (a compile error otherwise).
type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const _channelsMatch: Exact<Channel, keyof Responses> = true;
void _channelsMatch;

/** Errors cross as data: Electron passes only `message` through a rejected invoke. */
export interface WireError {
  code: ErrorCode;
  message: string;
}
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
}
export type EventName = keyof Events;
export const EVENT_NAMES = ['profiles-changed', 'sign-in-progress', 'buckets-progress', 'broker-changed'] as const satisfies readonly EventName[];
