import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HAS_KEYRING, needsKeyring } from '../helpers/signin-fixture.js';
import { DesktopApp, dirText, ensureRendererBuilt, keychainAccounts, keychainEntry } from './driver.js';

// The desktop window end to end, in Debian's Chromium: the BUILT renderer (out/renderer, with its
// production CSP), `window.alicloud` from createApi() over the e2e bridge, and behind it the very
// handler table the shell binds (createDesktopBackend) with the demo provider, the demo OSS server
// and the real Secret Service. A second Chromium page is the person's own browser.
// Run inside scripts/with-keyring.sh (CI runs everything inside it).

const BUCKETS = 2500;
/** Long enough for a sign-in on a loaded 2-core machine, short enough to wait out once. */
const SIGN_IN_TIMEOUT_MS = 12_000;
/** The table keeps at most about this many rows in the DOM, whatever the count. */
const ROW_BOUND = 60;

const figures: string[] = [];
const timed = async <T>(label: string, run: () => Promise<T>): Promise<T> => {
  const started = performance.now();
  try {
    return await run();
  } finally {
    figures.push(`${label}: ${Math.round(performance.now() - started)} ms`);
  }
};

describe.skipIf(!HAS_KEYRING)(
  needsKeyring('the desktop window in Chromium over the demo site and the real keychain'),
  () => {
    let app: DesktopApp;
    let demoId = '';
    let customId = '';

    beforeAll(async () => {
      const build = await ensureRendererBuilt();
      figures.push(`renderer build: ${build.built ? `${Math.round(build.ms)} ms` : 'up to date'}`);
      app = await timed('Chromium, backend and bridge up, window loaded', () =>
        DesktopApp.start({ bucketCount: BUCKETS, signInTimeoutMs: SIGN_IN_TIMEOUT_MS }),
      );
    }, 120_000);

    afterEach(() => {
      // No uncaught exception and no console error in the window, ever (a CSP violation would be one).
      expect(app?.problems ?? []).toEqual([]);
    });

    afterAll(async () => {
      await app?.close();
      if (figures.length > 0) console.log(`e2e figures:\n  ${figures.join('\n  ')}`);
    });

    it('first run: no profiles, the three ways to start', async () => {
      await app.waitForFirstRun();
      for (const choice of ['China site', 'International site', 'Try the demo']) await app.button(choice).waitFor();
      expect((await app.snapshot()).profiles).toEqual([]);
      expect(app.backend.demo?.running()).toBeUndefined();
      await app.screenshot('01-first-run');
    });

    it('adds the demo preset, which starts the demo site, and makes it the active profile', async () => {
      await timed('add the demo profile (starts the demo site)', () =>
        app.addDemoProfile(() => app.screenshot('02-add-demo-profile')),
      );
      await app.waitForActive('demo');
      await app.details.locator('.demo-note').waitFor();
      await app.waitForStatus('Signed out');
      const profile = await app.profile('demo');
      demoId = profile.id;
      expect(profile).toMatchObject({ demo: true, active: true, site: 'custom', status: 'signed-out' });
      expect(app.demo().ossEndpoint).toBe(profile.ossEndpoint);
    });

    it('signs in through the system browser: the identity is shown and the refresh token is in the keychain', async () => {
      const shown = await timed('sign-in (click to identity shown)', async () => {
        await app.clickSignIn();
        const inSheet = await app.waitForSignInWaiting();
        const opened = await app.systemBrowser.nextSignIn();
        // The sheet offers the very URL the browser was sent (to copy into another browser).
        expect(inSheet).toBe(opened);
        expect(opened.startsWith(app.demo().endpoints.authorization)).toBe(true);
        await app.signInSheet.locator('.demo-note', { hasText: 'alice' }).waitFor();
        await app.screenshot('03-sign-in-waiting');
        await app.screenshot('04-browser-login', app.systemBrowser.page);
        await app.systemBrowser.allow({ login: 'alice' });
        await app.waitForSheetClosed();
        return app.waitForIdentity(/alice@1234567890123456\.onaliyun\.com/);
      });
      expect(shown).toContain('RAM user');
      expect(shown).toContain('account 1234567890123456');
      await app.waitForStatus('Signed in');

      const token = await keychainEntry(demoId);
      expect(token, `keychain accounts: ${(await keychainAccounts()).join(', ')}; demo is ${demoId}`).toBeTruthy();
      // The refresh token lives in the keychain only: not in the window, not in the data dir.
      expect(await app.page.content()).not.toContain(token);
      expect(await dirText(app.dataDir)).not.toContain(token);
      expect((await app.profile('demo')).identity).toMatchObject({ type: 'user', aid: '1234567890123456' });
    });

    it('lists 2,500 buckets; the filter narrows them; scrolling keeps the rows in the DOM bounded', async () => {
      await timed('2,500 buckets listed and shown', () => app.waitForBucketsLoaded(BUCKETS));
      await app.page.locator('#buckets-heading', { hasText: 'Buckets (2,500)' }).waitFor();
      const atTop = await app.bucketRowCount();
      expect(atTop).toBeGreaterThan(5);
      expect(atTop).toBeLessThanOrEqual(ROW_BOUND);
      const rowCount = await app.page.locator('[role="table"]').getAttribute('aria-rowcount');
      expect(rowCount).toBe(String(BUCKETS + 1));
      await app.screenshot('05-buckets');

      const middle = await app.scrollBuckets(0.5);
      const bottom = await app.scrollBuckets(1);
      for (const at of [middle, bottom]) expect(at.rows).toBeLessThanOrEqual(ROW_BOUND);
      expect(middle.firstRowIndex).toBeGreaterThan(1000);
      // The last bucket is reachable: its row (index count + 1) is rendered at the bottom.
      await app.page.locator(`[data-testid="bucket-scroll"] [role="row"][aria-rowindex="${BUCKETS + 1}"]`).waitFor();
      figures.push(
        `DOM rows with ${BUCKETS} buckets: ${atTop} at the top, ${middle.rows} mid-scroll, ${bottom.rows} at the bottom`,
      );

      await app.filterBuckets('logs');
      const foot = app.bucketsFoot.filter({ hasText: / of 2,500 shown/ });
      await foot.waitFor();
      const shown = Number(/· ([\d,]+) of 2,500 shown/.exec((await foot.textContent()) ?? '')?.[1]?.replace(/,/g, ''));
      expect(shown).toBeGreaterThan(0);
      expect(shown).toBeLessThan(BUCKETS);
      const names = await app.bucketNames();
      expect(names.length).toBeLessThanOrEqual(ROW_BOUND);
      for (const name of names) expect(name).toContain('logs');
      figures.push(`filter "logs": ${shown} of ${BUCKETS} buckets, ${await app.bucketRowCount()} rows in the DOM`);
      await app.screenshot('06-buckets-filtered');

      await app.filterBuckets('no-such-bucket-anywhere');
      await app.page
        .locator('.buckets .pane-message', { hasText: 'No bucket matches “no-such-bucket-anywhere”.' })
        .waitFor();
      expect(await app.bucketRowCount()).toBe(0);
      await app.filterBuckets('');
      await app.bucketRows.first().waitFor();
    });

    it('adds a second, custom profile (your own application on the demo site’s endpoints) and signs it in as the account', async () => {
      await app.addCustomProfile('custom', app.demo(), () => app.screenshot('07-add-custom-profile'));
      await app.waitForActive('custom');
      const profile = await app.profile('custom');
      customId = profile.id;
      expect(profile).toMatchObject({
        site: 'custom',
        officialClient: false,
        clientId: app.demo().clientId,
        endpoints: app.demo().endpoints,
      });
      // The demo's client on loopback: the app labels it as the demo site too (never as a real site).
      expect(profile.demo).toBe(true);

      await timed('second sign-in (custom profile, as root)', async () => {
        await app.clickSignIn();
        await app.waitForSignInWaiting();
        await app.systemBrowser.nextSignIn();
        await app.systemBrowser.allow({ login: 'root' });
        await app.waitForIdentity(/owner@example\.com/);
      });
      await app.waitForBucketsLoaded(BUCKETS);
      expect(await keychainEntry(customId)).toBeTruthy();
      expect(await app.profileItem('demo').count()).toBe(1);
      await app.screenshot('08-two-profiles');
    });

    it('switches back to the demo profile in one click', async () => {
      await timed('switch profile (click to buckets shown)', async () => {
        await app.switchTo('demo');
        await app.waitForIdentity(/alice@/);
        await app.waitForBucketsLoaded(BUCKETS);
      });
      expect((await app.snapshot()).activeProfileId).toBe(demoId);
      await app.page.locator('.top-bar .active-name', { hasText: 'demo' }).waitFor();
    });

    it('a profile the CLI adds appears in the open window within a second; one it removes goes as fast', async () => {
      const added = await app.cli(['profile', 'add', 'from-cli', '--site', 'intl']);
      const ended = performance.now();
      expect(added.code, added.stderr).toBe(0);
      await app.profileItem('from-cli').waitFor({ timeout: 5_000 });
      const shownAfter = performance.now() - ended;
      expect(shownAfter).toBeLessThan(1_000);
      // Added, not made active: the window stays on the profile the person is looking at.
      await app.waitForActive('demo');
      const removed = await app.cli(['profile', 'remove', 'from-cli']);
      const removedAt = performance.now();
      expect(removed.code, removed.stderr).toBe(0);
      await app.profileItem('from-cli').waitFor({ state: 'detached', timeout: 5_000 });
      const goneAfter = performance.now() - removedAt;
      expect(goneAfter).toBeLessThan(1_000);
      figures.push(
        `live updates: a CLI-added profile shown ${Math.round(shownAfter)} ms, a removed one gone ${Math.round(goneAfter)} ms after the command ended`,
      );
    });

    it('signs out: revoked at the site, the keychain entry gone, the other profile untouched', async () => {
      const revocations = app.demo().provider.stats.revocations;
      expect(await keychainEntry(demoId)).toBeTruthy();
      await app.signOut();
      await app.page.locator('.details .notice', { hasText: 'Signed out; the site revoked the sign-in.' }).waitFor();
      await app.waitForStatus('Signed out');
      await app.waitForBucketsIdle();
      expect(await app.identity.textContent()).toBe('Not signed in');
      expect(await keychainEntry(demoId)).toBeNull();
      expect(await keychainEntry(customId)).toBeTruthy();
      expect(app.demo().provider.stats.revocations).toBe(revocations + 1);
      await app.screenshot('09-signed-out');
    });

    it('a sign-in the person refuses in the browser: ACCESS_DENIED in plain words, nothing stored', async () => {
      await app.clickSignIn();
      await app.waitForSignInWaiting();
      await app.systemBrowser.nextSignIn();
      await app.systemBrowser.deny();
      const words = await app.waitForSignInFailure('ACCESS_DENIED');
      expect(words.length).toBeGreaterThan(10);
      await app.button('Try again', app.signInSheet).waitFor();
      await app.screenshot('10-sign-in-refused');
      await app.closeSignInSheet();
      expect(await keychainEntry(demoId)).toBeNull();
      await app.waitForStatus('Signed out');
    });

    it(
      'a sign-in nobody finishes: SIGNIN_TIMEOUT when the countdown runs out',
      async () => {
        const started = performance.now();
        await app.clickSignIn();
        await app.waitForSignInWaiting();
        // The browser shows the form; the person walks away.
        await app.systemBrowser.nextSignIn();
        await app.waitForSignInFailure('SIGNIN_TIMEOUT', SIGN_IN_TIMEOUT_MS + 30_000);
        const waited = performance.now() - started;
        expect(waited).toBeGreaterThanOrEqual(SIGN_IN_TIMEOUT_MS - 1000);
        figures.push(
          `sign-in timeout (${SIGN_IN_TIMEOUT_MS} ms configured): failure shown after ${Math.round(waited)} ms`,
        );
        await app.screenshot('11-sign-in-timeout');
        await app.closeSignInSheet();
        expect(await keychainEntry(demoId)).toBeNull();
      },
      SIGN_IN_TIMEOUT_MS + 60_000,
    );

    it('a refresh token the site no longer accepts: the profile needs attention, says why, keeps who it was; the keychain entry is gone', async () => {
      await app.switchTo('custom');
      await app.waitForBucketsLoaded(BUCKETS);
      const site = app.demo();
      const refreshes = site.provider.stats.refreshGrants;
      // An hour later: OSS calls the STS credentials expired, the site calls the access token expired,
      // and it no longer accepts the refresh token (revoked elsewhere, or rotated out).
      site.oss.setFault({ kind: 'error', code: 'SecurityTokenExpired', status: 403 });
      site.provider.faults.exchangeStatus = 401;
      site.provider.faults.refuseRefresh = true;
      const answered = app.bridge.answers.length;
      try {
        await app.button('Refresh', app.page.locator('.buckets')).click();
        await app.waitForStatus('Needs attention');
      } finally {
        site.provider.resetFaults();
        site.oss.setFault(undefined);
      }
      expect(site.provider.stats.refreshGrants).toBe(refreshes);
      // The window was told why: the listing failed with INVALID_GRANT (then the snapshot says needs-attention).
      const listing = app.bridge.answers.slice(answered).find((answer) => answer.channel === 'buckets:list');
      expect(listing?.result).toMatchObject({ ok: false, error: { code: 'INVALID_GRANT' } });
      // The banner: what happened, the reason in words, and the way out.
      const banner = app.details.locator('[role="alert"][data-code="INVALID_GRANT"]');
      await banner.filter({ hasText: 'The site no longer accepts this sign-in. Sign in again.' }).waitFor();
      expect(await banner.textContent()).toContain('another program used it');
      await app.button('Sign in again', banner).waitFor();
      // Who it was, greyed as stale; the buckets pane says why, not "sign in" nor "no buckets".
      await app.page
        .locator('[data-testid="identity"].stale', { hasText: /^Last signed in as owner@example\.com/ })
        .waitFor();
      const pane = app.page.locator('.buckets [role="alert"][data-code="INVALID_GRANT"]');
      await pane.waitFor();
      expect(await pane.textContent()).toContain(
        'The site no longer accepts this sign-in (revoked, expired or used elsewhere).',
      );
      expect(await app.page.locator('.buckets').textContent()).not.toMatch(/Sign in to see|no buckets/);
      expect(await keychainEntry(customId)).toBeNull();
      expect(await app.profile('custom')).toMatchObject({ status: 'needs-attention', identity: { type: 'account' } });
      await app.screenshot('12-refresh-refused');
    });

    it('signs in again once the site is well, then reads in Chinese, in the dark', async () => {
      await app.clickSignIn();
      await app.waitForSignInWaiting();
      await app.systemBrowser.nextSignIn();
      await app.systemBrowser.allow({ login: 'root' });
      await app.waitForSheetClosed();
      await app.waitForStatus('Signed in');
      await app.waitForBucketsLoaded(BUCKETS);
      expect(await keychainEntry(customId)).toBeTruthy();

      await app.page.emulateMedia({ colorScheme: 'dark' });
      await app.button('切换到中文').click();
      await app.page.locator('html[lang="zh-CN"]').waitFor({ state: 'attached' });
      await app.button('Sign out', app.details).waitFor({ state: 'detached' });
      await app.screenshot('13-zh-CN-dark');
    });
  },
);
