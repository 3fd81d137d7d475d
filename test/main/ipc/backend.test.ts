import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDesktopBackend, type DesktopBackend } from '../../../main/ipc/backend.js';
import { unwrap } from '../../../main/ipc/result.js';
import { MemorySecretStore } from '../../../main/services/secrets/memory-store.js';
import type { Events, ProfileView } from '../../../shared/contract.js';
import { completeLoginOverHttp, type HttpLoginOptions } from '../../helpers/http-browser.js';

/**
 * The handler table over real services and the demo site: the same calls the window makes
 * through the preload (or the e2e bridge), with a cookie-jar HTTP client as the browser.
 */
describe('the desktop backend over the demo site', () => {
  let dir: string;
  let backend: DesktopBackend;
  let secrets: MemorySecretStore;
  let login: HttpLoginOptions & { deepLink?: boolean } = {};
  const progress: Array<Events['sign-in-progress']> = [];
  const pages: Array<Events['buckets-progress']> = [];
  const snapshots: Array<Events['profiles-changed']> = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'alicloud-signin-backend-'));
    secrets = new MemorySecretStore();
    backend = createDesktopBackend({
      dataDir: dir,
      secrets,
      demo: { bucketCount: 1200 },
      info: { version: '9.9.9', platform: 'test' },
      openBrowser: async (url) => {
        const ca = backend.demo?.running()?.ca;
        const { deepLink, ...options } = login;
        // Like a browser: let the page finish in the background while the app waits.
        void completeLoginOverHttp(url, { ca, ...options, followCallback: !deepLink }).then(
          (result) => deepLink && backend.deliverDeepLink(result.finalUrl),
          () => undefined,
        );
      },
    });
    backend.events.subscribe('sign-in-progress', (p) => progress.push(p));
    backend.events.subscribe('buckets-progress', (p) => pages.push(p));
    backend.events.subscribe('profiles-changed', (s) => snapshots.push(s));
  });

  afterAll(async () => {
    await backend?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const h = () => backend.handlers;
  let demo: ProfileView;

  it('starts with no profiles and no demo site running', async () => {
    expect(unwrap(await h()['profiles:list']({}))).toMatchObject({ activeProfileId: null, profiles: [] });
    expect(backend.demo?.running()).toBeUndefined();
    expect(unwrap(await h()['app:info']({}))).toEqual({
      version: '9.9.9',
      platform: 'test',
      demo: { logins: ['alice', 'root', 'role'], password: 'demo-password' },
    });
  });

  it('adds a demo profile, which starts the demo site', async () => {
    demo = unwrap(await h()['profiles:add']({ name: 'demo', preset: 'demo' }));
    expect(demo).toMatchObject({ name: 'demo', site: 'custom', demo: true, status: 'signed-out' });
    expect(backend.demo?.running()?.ossEndpoint).toBe(demo.ossEndpoint);
    unwrap(await h()['profiles:activate']({ id: demo.id }));
    expect(snapshots.at(-1)?.activeProfileId).toBe(demo.id);
  });

  it('signs in through the browser, reporting each step, and keeps the refresh token in the keychain', async () => {
    login = { login: 'alice' };
    const signedIn = unwrap(await h()['auth:sign-in']({ id: demo.id }));
    expect(signedIn.identity).toMatchObject({ type: 'user', aid: '1234567890123456' });
    expect(signedIn.status).toBe('signed-in');
    expect(progress.map((p) => p.phase.kind)).toEqual(['waiting', 'exchanging', 'finished']);
    const waiting = progress[0]!.phase;
    expect(waiting.kind === 'waiting' && waiting.url.startsWith(demo.authorizationEndpoint)).toBe(true);
    expect(await secrets.get(demo.id)).toBeTruthy();
  });

  it('lists the buckets page by page', async () => {
    const list = unwrap(await h()['buckets:list']({ id: demo.id }));
    expect(list.buckets).toHaveLength(1200);
    expect(list.buckets[0]).toMatchObject({
      name: expect.any(String),
      region: expect.any(String),
      storageClass: expect.any(String),
    });
    expect(pages.map((p) => [p.page, p.received, p.truncated])).toEqual([
      [1, 1000, true],
      [2, 1200, false],
    ]);
  });

  it('signs out: revoked at the site, gone from the keychain', async () => {
    const out = unwrap(await h()['auth:sign-out']({ id: demo.id }));
    expect(out.revocation).toBe('revoked');
    expect(out.profile?.status).toBe('signed-out');
    expect(await secrets.get(demo.id)).toBeNull();
    expect(await h()['buckets:list']({ id: demo.id })).toMatchObject({ ok: false, error: { code: 'NOT_SIGNED_IN' } });
  });

  it('a refusal in the browser is ACCESS_DENIED, reported as a failed step', async () => {
    progress.length = 0;
    login = { decision: 'deny' };
    expect(await h()['auth:sign-in']({ id: demo.id })).toMatchObject({ ok: false, error: { code: 'ACCESS_DENIED' } });
    expect(progress.at(-1)?.phase).toMatchObject({ kind: 'failed', error: { code: 'ACCESS_DENIED' } });
  });

  it('a profile redirecting to the app scheme gets its answer through a deep link', async () => {
    const site = backend.demo!.running()!;
    const scheme = unwrap(
      await h()['profiles:add']({
        name: 'scheme',
        preset: 'own-app',
        clientId: site.clientId,
        redirect: 'scheme',
        endpoints: site.endpoints,
        ossEndpoint: site.ossEndpoint,
      }),
    );
    login = { login: 'root', deepLink: true };
    const signedIn = unwrap(await h()['auth:sign-in']({ id: scheme.id }));
    expect(signedIn.identity).toMatchObject({ type: 'account' });
    expect(backend.deliverDeepLink('alicloud-signin://callback?code=late&state=x')).toBe(false);
  });

  it('cancel ends a sign-in that waits, and removing signs out first', async () => {
    login = { deepLink: true, decision: 'deny' };
    const profiles = unwrap(await h()['profiles:list']({})).profiles;
    const scheme = profiles.find((p) => p.name === 'scheme')!;
    // The deep link of a refusal never comes (deepLink: true, but we cancel before it is sent).
    const pending = h()['auth:sign-in']({ id: demo.id });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await h()['auth:sign-in']({ id: demo.id })).toMatchObject({
      ok: false,
      error: { code: 'SIGNIN_IN_PROGRESS' },
    });
    unwrap(await h()['auth:cancel-sign-in']({ id: demo.id }));
    expect(await pending).toMatchObject({
      ok: false,
      error: { code: expect.stringMatching(/SIGNIN_CANCELLED|ACCESS_DENIED/) },
    });
    const removed = unwrap(await h()['profiles:remove']({ id: scheme.id }));
    expect(removed.revocation).toBe('revoked');
    expect(await secrets.get(scheme.id)).toBeNull();
    expect(unwrap(await h()['profiles:list']({})).profiles.map((p) => p.name)).toEqual(['demo']);
  });

  it('refuses to open anything but the profile’s sign-in page', async () => {
    expect(unwrap(await h()['auth:open-browser']({ id: demo.id }))).toEqual({ opened: false });
    expect(await h()['app:copy-text']({ text: 'x' })).toEqual({ ok: true, value: { copied: false } });
  });
});

describe('a sign-in nobody finishes', () => {
  it('times out with SIGNIN_TIMEOUT and stores nothing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'alicloud-signin-timeout-'));
    const secrets = new MemorySecretStore();
    const opened: string[] = [];
    const backend = createDesktopBackend({
      dataDir: dir,
      secrets,
      demo: false,
      signInTimeoutMs: 300,
      openBrowser: async (url) => void opened.push(url),
    });
    try {
      const profile = unwrap(
        await backend.handlers['profiles:add']({ name: 'own', preset: 'own-app', clientId: '4001' }),
      );
      expect(await backend.handlers['auth:sign-in']({ id: profile.id })).toMatchObject({
        ok: false,
        error: { code: 'SIGNIN_TIMEOUT' },
      });
      expect(opened).toHaveLength(1);
      expect(opened[0]).toMatch(/^https:\/\/signin\.aliyun\.com\/oauth2\/v1\/auth\?/);
      expect(secrets.calls.filter((call) => call.op === 'set')).toEqual([]);
      expect(await backend.handlers['profiles:add']({ name: 'demo', preset: 'demo' })).toMatchObject({
        ok: false,
        error: { code: 'INVALID_INPUT' },
      });
    } finally {
      await backend.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
