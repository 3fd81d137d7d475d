import { describe, expect, it } from 'vitest';
import {
  brokerProfileView,
  changeView,
  expiryOverview,
  importPreviewView,
  MASK,
  maskCredentialsUri,
} from '../../../main/ipc/hub-views.js';
import type { AuditEntry } from '../../../main/services/broker/audit-log.js';
import type { ProfilesSnapshot, ProfileView } from '../../../shared/contract.js';

// What the hub's channels let the window see: never a secret, the audit log read right, expiries
// in the order a person must act on them.

const SECRET = 'q'.repeat(43);

describe('secrets stay in main', () => {
  it('masks the secret of a CredentialsURI, and anything that is not a URL whole', () => {
    const masked = maskCredentialsUri(`http://127.0.0.1:7878/v1/credentials/abcdefgh12/${SECRET}`);
    expect(masked).toBe(`http://127.0.0.1:7878/v1/credentials/abcdefgh12/${MASK}`);
    expect(maskCredentialsUri(`not a url ${SECRET}`)).toBe(MASK);
  });

  it('a change lists credentials_uri masked and the plaintext fields not at all', () => {
    const uri = changeView({
      scope: 'profile',
      field: 'credentials_uri',
      action: 'set',
      before: `http://127.0.0.1:1/v1/credentials/x/${SECRET}`,
      after: `http://127.0.0.1:2/v1/credentials/x/${SECRET}`,
    });
    expect(JSON.stringify(uri)).not.toContain(SECRET);
    expect(uri.after).toBe(`http://127.0.0.1:2/v1/credentials/x/${MASK}`);
    for (const field of ['oauth_refresh_token', 'access_key_secret', 'sts_token']) {
      expect(changeView({ scope: 'profile', field, action: 'remove', before: SECRET }).before).toBe(MASK);
    }
    expect(changeView({ scope: 'profile', field: 'region_id', action: 'add', after: 'cn-hangzhou' }).after).toBe(
      'cn-hangzhou',
    );
    expect(
      changeView({ scope: 'profile', field: 'expired_seconds', action: 'set', before: 900, after: 3600 }),
    ).toMatchObject({ before: '900', after: '3600' });
  });
});

describe('the broker pane’s line from the audit log', () => {
  const entry = (time: string, outcome: AuditEntry['outcome'], profile = 'prod', count = 1): AuditEntry => ({
    time,
    profile,
    mode: 'External',
    outcome,
    count,
  });
  const midnight = Date.parse('2026-03-02T00:00:00.000Z');

  it('the last hand-out, today’s count (lines count several), and a newer refusal', () => {
    const log = [
      entry('2026-03-01T23:00:00.000Z', 'ok', 'prod', 5),
      entry('2026-03-02T08:00:00.000Z', 'ok', 'prod', 3),
      entry('2026-03-02T08:30:00.000Z', 'ok', 'other', 7),
      entry('2026-03-02T09:00:00.000Z', 'ok', 'prod'),
      entry('2026-03-02T09:05:00.000Z', 'refused', 'prod'),
    ];
    const view = brokerProfileView({ id: 'abcdefgh12', name: 'prod', brokerEnabled: true }, null, log, midnight);
    expect(view.lastServed?.time).toBe('2026-03-02T09:00:00.000Z');
    expect(view.servedToday).toBe(4);
    expect(view.lastProblem?.outcome).toBe('refused');
    // A refusal older than the last hand-out is history, not a problem now.
    const older = brokerProfileView(
      { id: 'abcdefgh12', name: 'prod', brokerEnabled: false },
      null,
      log.slice(0, 4).concat(entry('2026-03-02T07:00:00.000Z', 'error')),
      midnight,
    );
    expect(older.lastProblem).toBeNull();
    // Lines that named the profile by id (before its name was known) count too.
    expect(
      brokerProfileView(
        { id: 'abcdefgh12', name: 'renamed', brokerEnabled: true },
        null,
        [entry('2026-03-02T10:00:00.000Z', 'ok', 'abcdefgh12')],
        midnight,
      ).servedToday,
    ).toBe(1);
  });
});

describe('the import preview in words the window can translate', () => {
  it('a skipped profile says why: no token, or a site it cannot tell', () => {
    const view = importPreviewView('/f', [
      { cliProfile: 'a', outcome: 'skipped', holdsToken: false, message: '' },
      { cliProfile: 'b', outcome: 'skipped', holdsToken: true, message: '' },
      { cliProfile: 'c', outcome: 'import', holdsToken: true, profile: 'c', site: 'cn', message: '' },
    ]);
    expect(view.items.map((i) => i.reason)).toEqual(['no-token', 'unknown-site', null]);
  });
});

describe('the expiry overview', () => {
  const now = Date.parse('2026-03-02T12:00:00.000Z');
  const profile = (name: string, over: Partial<ProfileView>): ProfileView =>
    ({
      id: `id-${name}`,
      name,
      site: 'cn',
      demo: false,
      active: false,
      region: 'cn-hangzhou',
      ossEndpoint: '',
      ossEndpointCustom: false,
      clientId: 'c',
      officialClient: true,
      redirect: 'loopback',
      authorizationEndpoint: '',
      status: 'signed-in',
      ...over,
    }) as ProfileView;
  const snapshot: ProfilesSnapshot = {
    activeProfileId: null,
    clockOffsetMs: 0,
    profiles: [
      profile('later', { refreshTokenExpiresAt: '2026-03-20T00:00:00.000Z' }),
      profile('out', { status: 'signed-out' }),
      profile('soon', { refreshTokenExpiresAt: '2026-03-02T20:00:00.000Z' }),
      profile('sts', { refreshTokenExpiresAt: '2026-03-25T00:00:00.000Z' }),
      profile('refused', { status: 'needs-attention' }),
    ],
  };

  it('needs attention first, then the soonest expiry (sign-in or STS), signed out last; warnings per profile', () => {
    const validFor = (id: string) => (id === 'id-sts' ? 5 * 60_000 : undefined);
    const notices = [{ key: 'k', profileId: 'id-soon', title: 't', body: 'ends in 8 hours' }];
    const overview = expiryOverview(snapshot, now, validFor, notices);
    expect(overview.rows.map((r) => r.name)).toEqual(['refused', 'sts', 'soon', 'later', 'out']);
    expect(overview.rows.find((r) => r.name === 'sts')?.stsExpiresAt).toBe('2026-03-02T12:05:00.000Z');
    expect(overview.rows.find((r) => r.name === 'soon')?.warnings).toEqual(['ends in 8 hours']);
    expect(overview.rows.find((r) => r.name === 'later')).toMatchObject({ stsExpiresAt: null, warnings: [] });
  });
});
