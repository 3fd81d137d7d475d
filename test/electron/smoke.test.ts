import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentSecurityPolicy, RENDERER_ORIGIN } from '../../main/ipc/security.js';
import type { DesktopApi } from '../../shared/api.js';
import type { ProfileView } from '../../shared/contract.js';
import { launchChromium } from '../helpers/chromium.js';
import { HAS_KEYRING } from '../helpers/signin-fixture.js';
import { makeProject, ROOT, type Project } from '../helpers/project.js';

// The built app in real Electron (Playwright's _electron): the window's settings and CSP read from
// inside, a sign-in on the demo site through the preload bridge (Debian's Chromium plays the
// person's browser, as in the e2e suite), a profile switch, a deep link through alicloud-signin://,
// and Quit. It builds with electron-vite in a private copy of the project, so the shared out/ is
// never rebuilt under other tests. Run inside scripts/with-keyring.sh.

/** Where `npm start` and Electron's own index.js find the binary. */
function electronBinary(): string {
  const dir = join(ROOT, 'node_modules', 'electron');
  const pathFile = join(dir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : 'electron';
  return join(process.env.ELECTRON_OVERRIDE_DIST_PATH || join(dir, 'dist'), relative);
}

const BINARY = electronBinary();
const SKIPPED = !existsSync(BINARY)
  ? `the Electron binary is not installed: ${BINARY} is missing (npm start downloads it)`
  : !HAS_KEYRING
    ? 'no Secret Service: DBUS_SESSION_BUS_ADDRESS is unset (run it under scripts/with-keyring.sh)'
    : process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY
      ? 'no display: DISPLAY and WAYLAND_DISPLAY are unset (xvfb-run gives one)'
      : undefined;

type Bridge = { alicloud: DesktopApi };
type Opened = { openedUrls?: string[] };

describe.skipIf(SKIPPED !== undefined)(
  `the desktop app in real Electron${SKIPPED ? ` (skipped: ${SKIPPED})` : ''}`,
  () => {
    let copy: Project;
    let app: ElectronApplication;
    let window: Page;
    let closeBrowser: (() => Promise<void>) | undefined;
    let browserPage: Page;
    let demo: ProfileView;

    /** The URLs the app asked the system browser to open, in order. */
    const opened = () => app.evaluate(() => (globalThis as Opened).openedUrls ?? []);
    const nextOpened = async (count: number) => {
      await expect.poll(async () => (await opened()).length, { timeout: 20_000 }).toBe(count);
      return new URL((await opened())[count - 1]!);
    };

    beforeAll(async () => {
      copy = await makeProject({ sources: true });
      const manifest = createRequire(join(ROOT, 'package.json')).resolve('electron-vite/package.json');
      const vite = join(
        dirname(manifest),
        (JSON.parse(readFileSync(manifest, 'utf8')) as { bin: Record<string, string> }).bin['electron-vite']!,
      );
      const built = await new Promise<number | null>((done) =>
        spawn(process.execPath, [vite, 'build'], { cwd: copy.dir, stdio: 'ignore' }).on('close', done),
      );
      expect(built).toBe(0);

      // Its data, and the scheme registration `electron .` writes on Linux (xdg-mime), stay in the copy.
      const env: Record<string, string> = {
        ALICLOUD_SIGNIN_HOME: join(copy.tmp, 'data'),
        XDG_CONFIG_HOME: join(copy.tmp, 'config'),
        XDG_DATA_HOME: join(copy.tmp, 'share'),
        XDG_CACHE_HOME: join(copy.tmp, 'cache'),
      };
      for (const [name, value] of Object.entries(process.env))
        if (value !== undefined && name !== 'ELECTRON_RUN_AS_NODE') env[name] ??= value;
      app = await _electron.launch({ executablePath: BINARY, args: [copy.dir], cwd: copy.dir, env });
      // The system browser is this test's Chromium: the app's request to open one is recorded instead.
      await app.evaluate(({ shell }) => {
        const urls: string[] = [];
        (globalThis as Opened).openedUrls = urls;
        shell.openExternal = (url: string) => {
          urls.push(url);
          return Promise.resolve();
        };
      });
      window = await app.firstWindow();
      await window.waitForLoadState('domcontentloaded');
      const chromium = await launchChromium({ ignoreHTTPSErrors: true });
      closeBrowser = chromium.close;
      browserPage = await chromium.context.newPage();
    }, 180_000);

    afterAll(async () => {
      await app?.close().catch(() => undefined);
      await closeBrowser?.();
      if (copy) await rm(copy.dir, { recursive: true, force: true });
    });

    it('opens one sandboxed, isolated window without Node, on its own origin, under the CSP', async () => {
      const preferences = await app.evaluate(({ BrowserWindow }) =>
        BrowserWindow.getAllWindows().map((each) => {
          // Undocumented but present since Electron 8 (not in electron.d.ts): the window's effective settings.
          const settings = (
            each.webContents as unknown as { getLastWebPreferences(): Record<string, unknown> }
          ).getLastWebPreferences();
          return {
            contextIsolation: settings.contextIsolation,
            sandbox: settings.sandbox,
            nodeIntegration: settings.nodeIntegration,
          };
        }),
      );
      expect(preferences).toEqual([{ contextIsolation: true, sandbox: true, nodeIntegration: false }]);
      const inside = await window.evaluate(() => ({
        origin: (globalThis as unknown as { location: { origin: string } }).location.origin,
        require: typeof (globalThis as { require?: unknown }).require,
        process: typeof (globalThis as { process?: unknown }).process,
        bridge: Object.keys((globalThis as unknown as Bridge).alicloud).length,
      }));
      expect(inside).toMatchObject({ origin: RENDERER_ORIGIN, require: 'undefined', process: 'undefined' });
      expect(inside.bridge).toBeGreaterThan(5);
      expect(await window.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')).toBe(
        contentSecurityPolicy('meta'),
      );
    });

    it('signs in on the demo site through the preload bridge', async () => {
      const added = await window.evaluate(() =>
        (globalThis as unknown as Bridge).alicloud.addProfile({ name: 'demo', preset: 'demo' }),
      );
      if (!added.ok) throw new Error(`addProfile: ${added.error.code}`);
      demo = added.value;
      const info = await window.evaluate(() => (globalThis as unknown as Bridge).alicloud.appInfo());
      if (!info.ok) throw new Error(`appInfo: ${info.error.code}`);

      const signedIn = window.evaluate((id) => (globalThis as unknown as Bridge).alicloud.signIn(id), demo.id);
      await browserPage.goto((await nextOpened(1)).href);
      await browserPage.fill('#username', info.value.demo.logins[0]!);
      await browserPage.fill('#password', info.value.demo.password);
      await Promise.all([
        browserPage.waitForURL(/^http:\/\/127\.0\.0\.1:\d+\//),
        browserPage.click('button[value=allow]'),
      ]);
      const result = await signedIn;
      expect(result.ok && result.value.status).toBe('signed-in');
      const buckets = await window.evaluate(
        (id) => (globalThis as unknown as Bridge).alicloud.listBuckets(id),
        demo.id,
      );
      expect(buckets.ok && buckets.value.buckets.length).toBeGreaterThan(0);
    });

    it('switches profiles, takes a sign-in answer through an alicloud-signin:// link, and quits', async () => {
      // A second profile on the same demo site whose redirect is the app's URL scheme.
      const draft = {
        name: 'by-link',
        preset: 'own-app' as const,
        clientId: demo.clientId,
        redirect: 'scheme' as const,
        endpoints: demo.endpoints!,
        ossEndpoint: demo.ossEndpoint,
      };
      const added = await window.evaluate(
        (request) => (globalThis as unknown as Bridge).alicloud.addProfile(request),
        draft,
      );
      if (!added.ok) throw new Error(`addProfile: ${added.error.code}`);
      const byLink = added.value;
      const switched = await window.evaluate(
        (id) => (globalThis as unknown as Bridge).alicloud.activateProfile(id),
        byLink.id,
      );
      expect(switched.ok && switched.value.activeProfileId).toBe(byLink.id);

      const answered = window.evaluate((id) => (globalThis as unknown as Bridge).alicloud.signIn(id), byLink.id);
      const authorization = await nextOpened(2);
      expect(authorization.searchParams.get('redirect_uri')).toBe('alicloud-signin://callback');
      // The person refuses on the site; the answer comes back as the OS delivers a link (macOS: open-url).
      const link = `alicloud-signin://callback?error=access_denied&state=${authorization.searchParams.get('state') ?? ''}`;
      await app.evaluate(({ app: electronApp }, url) => {
        electronApp.emit('open-url', { preventDefault: () => undefined }, url);
      }, link);
      const result = await answered;
      expect(result.ok ? 'signed in' : result.error.code).toBe('ACCESS_DENIED');

      // Remove both (their keychain entries too), then Quit: the process ends cleanly.
      for (const id of [byLink.id, demo.id]) {
        const removed = await window.evaluate(
          (profileId) => (globalThis as unknown as Bridge).alicloud.removeProfile(profileId),
          id,
        );
        expect(removed.ok).toBe(true);
      }
      const exited = new Promise<number | null>((done) => app.process().once('exit', (code) => done(code)));
      await app.evaluate(({ app: electronApp }) => electronApp.quit()).catch(() => undefined);
      expect(await exited).toBe(0);
    });
  },
);
