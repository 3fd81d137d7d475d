import { parseArgs } from 'node:util';
import { profileStatus } from '../../services/app/profile-status.js';
import { describeIdentity } from '../../services/auth/identity.js';
import { siteLabel } from '../../services/auth/sites.js';
import { clockJson, clockNotice } from '../../services/clock/clock-file.js';
import type { Services } from '../../services/context.js';
import { json, type CliIO } from '../io.js';
import { optionalName } from '../args.js';
import { printable, profileJson, relative } from '../views.js';

export async function whoami(services: Services, io: CliIO, argv: string[]): Promise<void> {
  const { positionals, values } = parseArgs({
    args: argv,
    options: { json: { type: 'boolean' } },
    allowPositionals: true,
    strict: true,
  });
  const status = await profileStatus(services, optionalName(positionals, 'whoami [NAME] [--json]'));
  const { profile, activeProfileId, refreshTokenStored: stored, clock } = status;
  if (values.json) {
    io.out(json({ ...profileJson(profile, activeProfileId), refreshTokenStored: stored, clock: clockJson(clock) }));
    return;
  }
  const id = profile.identity;
  // The site refused the refresh token: the identity is the last one, kept to say who to sign in as.
  const refused = profile.status === 'needs-attention' && !profile.role;
  const rows: [string, string][] = [
    [
      'Profile',
      `${profile.name} (${siteLabel(profile.site)}, region ${profile.region}${profile.id === activeProfileId ? ', active' : ''})`,
    ],
    [
      'Status',
      refused
        ? `needs-attention: the site no longer accepts this sign-in (revoked, expired or used elsewhere). Sign in again: alicloud-signin login ${profile.name}`
        : profile.status,
    ],
    ['Identity', printable(describeIdentity(id)) + (refused && id ? ' (last signed in; stale)' : '')],
  ];
  if (id) {
    // Claims are the site's words: printed without control characters.
    rows.push(['Subject', printable(id.sub)]);
    if (id.aid) rows.push(['Account ID', printable(id.aid)]);
    if (id.uid) rows.push(['Principal ID', printable(id.uid)]);
  }
  rows.push(['Signed in', profile.signedInAt ?? 'never']);
  rows.push(['Access token', `${relative(profile.accessTokenExpiresAt)} (kept in memory only)`]);
  rows.push([
    'Refresh token',
    stored ? `in the OS keychain, expires ${relative(profile.refreshTokenExpiresAt)}` : 'none',
  ]);
  const notice = clockNotice(clock);
  if (notice) rows.push(['Clock', notice]);
  for (const [key, value] of rows) io.out(`${key.padEnd(14)} ${value}`);
}
