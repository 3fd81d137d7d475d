/*
 * What the hub's channels send the window, made from the use-cases' results: secrets masked,
 * values as text, the audit log newest first, expiries sorted. Pure functions (tested alone).
 */
import type { AuditEntry } from '../services/broker/audit-log.js';
import type { FieldChange } from '../services/cli-config/changes.js';
import type { Json } from '../services/cli-config/config-file.js';
import { SECRET_FIELDS } from '../services/cli-config/edit.js';
import type { ImportPreviewItem, ImportResult } from '../services/cli-config/import.js';
import type { FoundLink } from '../services/cli-config/status.js';
import type {
  AuditEntryView,
  BrokerProfileView,
  CliFieldChange,
  CliLinkView,
  ExpiryOverview,
  ExpiryRow,
  ImportDone,
  ImportPreviewView,
  ProfilesSnapshot,
} from '../../shared/contract.js';
import type { Notice } from './notices.js';
import { asErrorCode } from './result.js';

export const MASK = '••••••••';
const SECRET_WORDS = new Set<string>(SECRET_FIELDS);

/** A CredentialsURI with its last path segment (the secret) masked; anything else that is not a URL is masked whole. */
export function maskCredentialsUri(uri: string): string {
  try {
    const url = new URL(uri);
    const parts = url.pathname.split('/');
    if (parts.length > 1) parts[parts.length - 1] = MASK;
    return `${url.protocol}//${url.host}${parts.join('/')}`;
  } catch {
    return MASK;
  }
}

function text(field: string, value: Json | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (SECRET_WORDS.has(field)) return MASK;
  const plain = typeof value === 'string' ? value : JSON.stringify(value);
  return field === 'credentials_uri' ? maskCredentialsUri(plain) : plain;
}

/** A change as the window lists it: values as text, no secret. */
export function changeView(change: FieldChange): CliFieldChange {
  const before = text(change.field, change.before);
  const after = text(change.field, change.after);
  return {
    scope: change.scope,
    field: change.field,
    action: change.action,
    ...(before !== undefined ? { before } : {}),
    ...(after !== undefined ? { after } : {}),
  };
}

function auditView(entry: AuditEntry): AuditEntryView {
  return { ...entry };
}

/** Newest first (the log is oldest first). */
export function newestFirst(entries: readonly AuditEntry[]): AuditEntryView[] {
  return entries.map(auditView).reverse();
}

/** The broker's side of a profile, from its settings and the audit log's lines for it. */
export function brokerProfileView(
  profile: { id: string; name: string; brokerEnabled: boolean },
  maskedUrl: string | null,
  log: readonly AuditEntry[],
  midnight: number,
): BrokerProfileView {
  const mine = log.filter((e) => e.profile === profile.name || e.profile === profile.id);
  const served = mine.filter((e) => e.outcome === 'ok');
  const lastServed = served.at(-1);
  const lastProblem = mine.filter((e) => e.outcome !== 'ok').at(-1);
  const servedToday = served
    .filter((e) => Date.parse(e.last ?? e.time) >= midnight)
    .reduce((sum, e) => sum + e.count, 0);
  return {
    profileId: profile.id,
    enabled: profile.brokerEnabled,
    maskedUrl,
    lastServed: lastServed ? auditView(lastServed) : null,
    servedToday,
    lastProblem:
      lastProblem && (!lastServed || Date.parse(lastProblem.time) > Date.parse(lastServed.time))
        ? auditView(lastProblem)
        : null,
  };
}

export function linkView(link: FoundLink): CliLinkView {
  return {
    name: link.name,
    linkedTo: link.linkedTo,
    linkedToId: link.profile?.id ?? null,
    kind: link.kind,
    mode: link.mode,
    intact: link.intact,
    problems: [...link.problems],
  };
}

export function importPreviewView(file: string, items: readonly ImportPreviewItem[]): ImportPreviewView {
  return {
    configPath: file,
    items: items.map((item) => ({
      cliProfile: item.cliProfile,
      outcome: item.outcome,
      profile: item.profile ?? null,
      site: item.site ?? null,
      holdsToken: item.holdsToken,
      reason: item.outcome !== 'skipped' ? null : item.holdsToken ? 'unknown-site' : 'no-token',
    })),
  };
}

export function importDoneView(result: ImportResult): ImportDone {
  return {
    configPath: result.file,
    items: result.items.map((item) => ({
      cliProfile: item.cliProfile,
      outcome: item.outcome,
      profile: item.profile ?? null,
      error: item.outcome === 'failed' ? { code: asErrorCode(item.code ?? 'INTERNAL'), message: item.message } : null,
    })),
    scrubbed: result.scrubbed,
    backup: result.backup ?? null,
  };
}

/**
 * Every profile with its sign-in and STS expiry, soonest first: a profile that needs attention
 * (nothing left to expire) first, those with nothing to expire (signed out) last. `notices` are
 * the tray's (dueNotices with nothing shown yet), repeated per profile.
 */
export function expiryOverview(
  snapshot: ProfilesSnapshot,
  now: number,
  stsValidFor: (profileId: string) => number | undefined,
  notices: readonly Notice[],
): ExpiryOverview {
  const rows: Array<ExpiryRow & { key: number }> = snapshot.profiles.map((profile) => {
    const sts = stsValidFor(profile.id);
    const stsExpiresAt = sts !== undefined && sts > 0 ? new Date(now + sts).toISOString() : null;
    const refreshTokenExpiresAt = profile.refreshTokenExpiresAt ?? null;
    const ends = [refreshTokenExpiresAt, stsExpiresAt].filter((t): t is string => t !== null).map((t) => Date.parse(t));
    const attention = profile.status === 'needs-attention' || profile.status === 'expired';
    const key = attention ? -Infinity : ends.length > 0 ? Math.min(...ends) : Infinity;
    return {
      key,
      profileId: profile.id,
      name: profile.name,
      status: profile.status,
      role: profile.role !== undefined,
      refreshTokenExpiresAt,
      stsExpiresAt,
      warnings: notices.filter((n) => n.profileId === profile.id).map((n) => n.body),
    };
  });
  rows.sort((a, b) => a.key - b.key || a.name.localeCompare(b.name));
  return { at: new Date(now).toISOString(), rows: rows.map(({ key: _key, ...row }) => row) };
}
