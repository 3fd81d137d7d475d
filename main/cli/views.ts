import { describeIdentity } from '../services/auth/identity.js';
import type { Profile } from '../services/profiles/schema.js';
import { printable } from './printable.js';
import { roleOf } from '../services/roles/settings.js';

/**
 * The stable `--json` shape of a profile (README documents it). Never holds a secret; a field
 * without a value is null rather than missing, so scripts can rely on every key.
 */
export function profileJson(profile: Profile, activeId: string | null, sourceName?: string) {
  const id = profile.identity;
  const role = roleOf(profile);
  return {
    id: profile.id,
    name: profile.name,
    site: profile.site,
    region: profile.region,
    active: profile.id === activeId,
    status: profile.status,
    identity: id
      ? {
          sub: id.sub,
          aid: id.aid ?? null,
          uid: id.uid ?? null,
          type: id.type ?? null,
          name: id.name ?? null,
          upn: id.upn ?? null,
          login_name: id.loginName ?? null,
        }
      : null,
    signedInAt: profile.signedInAt ?? null,
    accessTokenExpiresAt: profile.accessTokenExpiresAt ?? null,
    refreshTokenExpiresAt: profile.refreshTokenExpiresAt ?? null,
    role:
      role && profile.role
        ? {
            arn: role.arn,
            accountId: role.accountId,
            roleName: role.roleName,
            source: sourceName ?? null,
            sourceProfileId: profile.role.sourceProfileId,
            sessionName: profile.role.sessionName,
            durationSeconds: profile.role.durationSeconds,
          }
        : null,
  };
}

export function profileLine(profile: Profile, activeId: string | null, sourceName?: string): string {
  const mark = profile.id === activeId ? '*' : ' ';
  const site = profile.site.toUpperCase().padEnd(6);
  const role = roleOf(profile);
  const who = role
    ? `role ${role.roleName} (account ${role.accountId}) from ${sourceName ?? 'a missing profile'}`
    : profile.status === 'needs-attention' && profile.identity
      ? `last signed in as ${describeIdentity(profile.identity)}`
      : describeIdentity(profile.identity);
  // The identity is the site's words (ID token claims): printed without control characters.
  return `${mark} ${profile.name.padEnd(20)} ${site} ${profile.status.padEnd(15)} ${printable(who)}`;
}

/** "in 59 min", "in 29 days", "2 min ago". */
export function relative(iso: string | undefined, now = Date.now()): string {
  if (!iso) return 'unknown';
  const ms = Date.parse(iso) - now;
  const abs = Math.abs(ms);
  const text =
    abs < 90_000
      ? `${Math.round(abs / 1000)} s`
      : abs < 5_400_000
        ? `${Math.round(abs / 60_000)} min`
        : abs < 172_800_000
          ? `${Math.round(abs / 3_600_000)} h`
          : `${Math.round(abs / 86_400_000)} days`;
  return ms >= 0 ? `${iso} (in ${text})` : `${iso} (${text} ago)`;
}

export { printable };
