import { describe, expect, it } from 'vitest';
import { deepLinksIn } from '../../../main/ipc/deep-links.js';
import { isAuthorizationUrl, guardedOpener } from '../../../main/ipc/open-guard.js';
import { SignInRegistry } from '../../../main/ipc/signins.js';
import { KNOWN_SITES } from '../../../main/services/auth/sites.js';

const authUrl = (state: string) =>
  `${KNOWN_SITES.cn.endpoints.authorization}?client_id=1&state=${state}&redirect_uri=alicloud-signin%3A%2F%2Fcallback`;

describe('deep links', () => {
  it('reach the sign-in whose state they carry', async () => {
    const registry = new SignInRegistry();
    const a = registry.begin('profile-a');
    const b = registry.begin('profile-b');
    a.waiting(authUrl('state-a'));
    b.waiting(authUrl('state-b'));
    const gotA = a.deepLink(a.abort.signal);
    const gotB = b.deepLink(b.abort.signal);
    expect(registry.deliverDeepLink('alicloud-signin://callback?code=2&state=state-b')).toBe(true);
    expect(registry.deliverDeepLink('alicloud-signin://callback?code=1&state=state-a')).toBe(true);
    expect(await gotA).toContain('state=state-a');
    expect(await gotB).toContain('state=state-b');
  });

  it('are ignored unless they carry the state of a waiting sign-in, even an error (any web page can open one)', async () => {
    const registry = new SignInRegistry();
    const a = registry.begin('profile-a');
    a.waiting(authUrl('s1'));
    const got = a.deepLink(a.abort.signal);
    let settled = false;
    void got.then(() => (settled = true));
    expect(registry.deliverDeepLink('alicloud-signin://callback?error=access_denied')).toBe(false);
    expect(registry.deliverDeepLink('alicloud-signin://callback?code=1')).toBe(false);
    expect(registry.deliverDeepLink('https://evil.example/?code=1&state=s1')).toBe(false);
    expect(registry.deliverDeepLink('alicloud-signin://callback?code=1&state=other')).toBe(false);
    expect(registry.deliverDeepLink('alicloud-signin://callback?code=1&code=2&state=s1')).toBe(false);
    expect(registry.deliverDeepLink(42)).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(settled).toBe(false);
    // The site's real refusal, with this sign-in's state, still ends it at once.
    expect(registry.deliverDeepLink('alicloud-signin://callback?error=access_denied&state=s1')).toBe(true);
    expect(await got).toContain('access_denied');
  });

  it('a cancel ends the wait with SIGNIN_CANCELLED', async () => {
    const registry = new SignInRegistry();
    const a = registry.begin('p');
    const wait = a.deepLink(a.abort.signal);
    expect(registry.cancel('p')).toBe(true);
    await expect(wait).rejects.toMatchObject({ code: 'SIGNIN_CANCELLED' });
    registry.end(a);
    expect(registry.cancel('p')).toBe(false);
  });

  it('allows one sign-in per profile', () => {
    const registry = new SignInRegistry();
    registry.begin('p');
    expect(() => registry.begin('p')).toThrow(/already under way/);
  });

  it('are picked out of a second instance’s arguments', () => {
    expect(deepLinksIn(['/usr/bin/app', '--flag', 'ALICLOUD-SIGNIN://callback?code=1', 'https://x'])).toEqual([
      'ALICLOUD-SIGNIN://callback?code=1',
    ]);
  });
});

describe('opening the system browser', () => {
  const cn = { site: 'cn' as const, name: 'prod' };
  const custom = {
    site: 'custom' as const,
    name: 'own',
    endpoints: {
      issuer: 'https://id.example',
      authorization: 'https://id.example/oauth/authorize',
      token: 'https://id.example/t',
      jwks: 'https://id.example/k',
    },
  };

  it('is allowed only for the authorization endpoint of the profile’s own site', () => {
    expect(isAuthorizationUrl(authUrl('s'), cn)).toBe(true);
    expect(isAuthorizationUrl('https://id.example/oauth/authorize?x=1', custom)).toBe(true);
    expect(isAuthorizationUrl('https://id.example/oauth/authorize', cn)).toBe(false);
    expect(isAuthorizationUrl('https://signin.aliyun.com/other', cn)).toBe(false);
    expect(isAuthorizationUrl('http://signin.aliyun.com/oauth2/v1/auth', cn)).toBe(false);
    expect(isAuthorizationUrl('https://user:pw@signin.aliyun.com/oauth2/v1/auth', cn)).toBe(false);
    expect(isAuthorizationUrl('file:///etc/passwd', cn)).toBe(false);
    expect(isAuthorizationUrl('javascript:alert(1)', cn)).toBe(false);
  });

  it('refuses through the guarded opener without calling the real one', async () => {
    const opened: string[] = [];
    const open = guardedOpener(async (url) => void opened.push(url), cn);
    await expect(open('https://evil.example/')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await open(authUrl('s'));
    expect(opened).toEqual([authUrl('s')]);
  });
});
