import { describe, expect, it } from 'vitest';
import { DEMO_CLIENT_ID, isDemoProfile, type DemoSiteAddress } from '../../../main/services/app/demo-profile.js';
import { buildProfile, patchFromChanges } from '../../../main/services/app/profile-input.js';
import { inputFromDraft } from '../../../main/ipc/drafts.js';
import { dueNotices } from '../../../main/ipc/notices.js';
import { roundedDuration, shellLanguage } from '../../../main/ipc/shell-words.js';
import { trayMenu } from '../../../main/ipc/tray-model.js';
import { toProfileView, toSnapshot } from '../../../main/ipc/views.js';
import { defaultClientSettings } from '../../../main/services/auth/sites.js';
import type { Profile } from '../../../main/services/profiles/schema.js';
import { parseChannelRequest } from '../../../main/ipc/table.js';

/** The window's add form, all the way to the profile the store is given. */
const profileFromDraft = (draft: Parameters<typeof inputFromDraft>[0], demo?: DemoSiteAddress) =>
  buildProfile(inputFromDraft(draft, demo));

const NOW = Date.parse('2026-01-01T00:00:00Z');
const iso = (ms: number) => new Date(NOW + ms).toISOString();

function profile(over: Partial<Profile> = {}): Profile {
  return {
    id: 'AbCdEfGh12345678',
    name: 'prod',
    site: 'cn',
    client: defaultClientSettings('cn'),
    region: 'cn-hangzhou',
    status: 'signed-out',
    brokerEnabled: true,
    createdAt: iso(0),
    updatedAt: iso(0),
    ...over,
  };
}

const demoEndpoints = {
  endpoints: {
    issuer: 'https://127.0.0.1:4443',
    authorization: 'https://127.0.0.1:4443/oauth2/v1/auth',
    token: 'https://127.0.0.1:4443/v1/token',
    revocation: 'https://127.0.0.1:4443/v1/revoke',
    exchange: 'https://127.0.0.1:4443/v1/exchange',
    jwks: 'https://127.0.0.1:4443/v1/keys',
  },
  ossEndpoint: 'https://localhost:4444',
};

describe('drafts from the add form', () => {
  it('use the official application for the China and International presets', () => {
    expect(profileFromDraft(parseChannelRequest('profiles:add', { name: 'a', preset: 'intl' }))).toEqual({
      name: 'a',
      site: 'intl',
      client: defaultClientSettings('intl'),
      region: 'ap-southeast-1',
    });
  });

  it('make your own application a custom site once endpoints are given, loopback on any port by default', () => {
    const own = profileFromDraft(
      parseChannelRequest('profiles:add', { name: 'a', preset: 'own-app', clientId: '9', site: 'intl' }),
    );
    expect(own).toMatchObject({
      site: 'intl',
      client: { clientId: '9', redirect: { kind: 'loopback', ports: 0, callbackPath: '/callback' } },
    });
    const custom = profileFromDraft(
      parseChannelRequest('profiles:add', {
        name: 'a',
        preset: 'own-app',
        clientId: '9',
        redirect: 'scheme',
        endpoints: demoEndpoints.endpoints,
      }),
    );
    expect(custom).toMatchObject({
      site: 'custom',
      client: { redirect: { kind: 'scheme' } },
      endpoints: demoEndpoints.endpoints,
    });
    expect(() => profileFromDraft(parseChannelRequest('profiles:add', { name: 'a', preset: 'own-app' }))).toThrow(
      /client ID/,
    );
  });

  it('point the demo preset at the running demo site, recognisably', () => {
    const demo = profileFromDraft(parseChannelRequest('profiles:add', { name: 'demo', preset: 'demo' }), demoEndpoints);
    expect(demo).toMatchObject({
      site: 'custom',
      ossEndpoint: 'https://localhost:4444',
      client: { clientId: DEMO_CLIENT_ID },
    });
    expect(isDemoProfile(demo)).toBe(true);
    expect(isDemoProfile(profile())).toBe(false);
  });

  it('patch only what an edit changed', () => {
    const p = profile({
      site: 'custom',
      endpoints: demoEndpoints.endpoints,
      client: { clientId: '1', redirect: { kind: 'scheme' } },
    });
    expect(patchFromChanges(p, { ossEndpoint: null })).toEqual({ ossEndpoint: undefined });
    expect(patchFromChanges(p, { redirect: 'loopback', clientId: '2' })).toEqual({
      client: { clientId: '2', redirect: { kind: 'loopback', ports: 0, callbackPath: '/callback' } },
    });
    expect(() => patchFromChanges(profile(), { endpoints: demoEndpoints.endpoints })).toThrow(/custom site/);
  });
});

describe('what the window sees of a profile', () => {
  it('has no secret, and has the effective endpoints', () => {
    const view = toProfileView(profile({ status: 'signed-in', identity: { sub: 's', aid: '1' } }), 'AbCdEfGh12345678');
    expect(view).toMatchObject({
      active: true,
      officialClient: true,
      ports: '12345-12349',
      ossEndpoint: 'https://oss-cn-hangzhou.aliyuncs.com',
      ossEndpointCustom: false,
      authorizationEndpoint: 'https://signin.aliyun.com/oauth2/v1/auth',
    });
    expect(JSON.stringify(toSnapshot({ version: 1, activeProfileId: null, profiles: [profile()] }, 1234))).not.toMatch(
      /token"|secret/i,
    );
  });
});

describe('tray menu', () => {
  it('lists profiles with mark, status and expiry, the active one checked, then sign in/out, open, quit', () => {
    const snapshot = toSnapshot({
      version: 1,
      activeProfileId: 'AbCdEfGh12345678',
      profiles: [
        profile({ status: 'signed-in', refreshTokenExpiresAt: iso(29 * 86_400_000) }),
        profile({
          id: 'ZyXwVuTs87654321',
          name: 'staging',
          status: 'signed-in',
          refreshTokenExpiresAt: iso(3_600_000),
        }),
      ],
    });
    const menu = trayMenu(snapshot, 'en', NOW);
    expect(menu.map((item) => ('label' in item ? item.label : '---'))).toEqual([
      'AliCloud Sign-in',
      '---',
      '● prod — signed in · expires in 29 days',
      '◐ staging — expires soon · expires in 60 minutes',
      '---',
      'Sign out of prod',
      '---',
      'Open AliCloud Sign-in',
      'Quit',
    ]);
    expect(menu[2]).toMatchObject({
      type: 'radio',
      checked: true,
      action: { kind: 'activate', profileId: 'AbCdEfGh12345678' },
    });
    expect(menu[3]).toMatchObject({ checked: false });
    const zh = trayMenu({ ...snapshot, activeProfileId: null, profiles: [] }, 'zh-CN', NOW);
    expect(zh.map((item) => ('label' in item ? item.label : '---'))).toEqual([
      '阿里云登录',
      '---',
      '还没有配置',
      '---',
      '打开阿里云登录',
      '退出',
    ]);
  });
});

describe('expiry notices', () => {
  const snapshot = toSnapshot({
    version: 1,
    activeProfileId: null,
    profiles: [
      profile({ status: 'signed-in', refreshTokenExpiresAt: iso(5 * 3_600_000) }),
      profile({
        id: 'ZyXwVuTs87654321',
        name: 'later',
        status: 'signed-in',
        refreshTokenExpiresAt: iso(10 * 86_400_000),
      }),
      profile({ id: 'Signedout1234567', name: 'gone', status: 'signed-out', refreshTokenExpiresAt: iso(60_000) }),
    ],
  });

  it('warn once per expiry: a sign-in within a day, STS credentials within ten minutes', () => {
    const sts = (id: string) => (id === 'ZyXwVuTs87654321' ? 4 * 60_000 : undefined);
    const first = dueNotices(snapshot, NOW, sts, new Set(), 'en');
    expect(first.map((n) => n.body)).toEqual([
      'The sign-in of prod ends in 5 hours. Sign in again to keep using it.',
      'The temporary credentials of later run out in 4 minutes; they are renewed on next use.',
    ]);
    expect(dueNotices(snapshot, NOW, sts, new Set(first.map((n) => n.key)), 'en')).toEqual([]);
    expect(dueNotices(snapshot, NOW, () => undefined, new Set(), 'zh-CN')[0]?.body).toBe(
      'prod 的登录将在 5 小时后失效。请重新登录以继续使用。',
    );
  });

  it('speak the OS language', () => {
    expect(shellLanguage('zh-TW')).toBe('zh-CN');
    expect(shellLanguage('en-US')).toBe('en');
    expect(roundedDuration(60_000, 'en')).toBe('1 minute');
  });
});
