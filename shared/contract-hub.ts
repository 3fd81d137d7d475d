/**
 * The hub's half of the IPC contract (issue 10 item 3): everything the CLI can do, in the window.
 * contract.ts merges these channels into the one channel map and re-exports these types.
 */
import { z } from 'zod';
import type { ProfileStatus, SiteId } from '../main/services/profiles/schema.js';
import { ById, Empty, HttpsUrl, ProfileId, type WireError } from './contract-base.js';
import { CLI_PROFILE_NAME } from './fields.js';

// ---------------------------------------------------------------- the hub: requests
// Everything the CLI can do, in the window (issue 10 item 3): the broker per profile, the aliyun
// CLI (link with a preview, status and repair, import), the console, the audit log, expiries.

const CliLinkMode = z.enum(['external', 'uri']);
/** An aliyun CLI profile name, as `cli-config link --as` takes it. */
const CliProfileName = z.string().regex(CLI_PROFILE_NAME);
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
  /** External mode: the program its command starts, when the aliyun CLI would not find it on PATH. */
  programMissing: string | null;
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
  /** As in the preview. */
  programMissing: string | null;
}

/** What is wrong with a CLI profile's link to this app (main's cli-config/status.ts uses this type). */
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
