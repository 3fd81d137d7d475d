import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HAS_KEYRING, needsKeyring } from '../helpers/signin-fixture.js';
import { blockingViolations, describeViolations } from './axe.js';
import { DesktopApp, ensureRendererBuilt } from './driver.js';

// axe-core on every state of the window a person meets, in English and in Chinese, light and
// dark: the built renderer in Debian's Chromium over the desktop backend, the demo site and the
// real keychain (as desktop.test.ts). Not one critical or serious violation is allowed; a failure
// lists each by rule and target. Run inside scripts/with-keyring.sh.

const BUCKETS = 60;
const LOCALES = [{ locale: 'en-US' }, { locale: 'zh-CN' }] as const;

/** The few words the test finds controls by: the window's own tables (renderer/i18n). */
interface Words {
  firstRun: { demo: string };
  form: { add: string; cancel: string; presets: { demo: string; 'own-app': string } };
  details: { signIn: string; signInAgain: string; edit: string; remove: string };
  signIn: { close: string };
  buckets: { refresh: string };
  remove: { cancel: string };
  hub: { loading: string };
}

/** The renderer's tables are web code (outside the Node type-check), so they are loaded at run time. */
async function wordsOf(locale: 'en-US' | 'zh-CN'): Promise<Words> {
  const [file, name] = locale === 'zh-CN' ? ['zh-CN', 'zhCN'] : ['en', 'en'];
  const module = (await import(`../../renderer/i18n/${file}.ts`)) as Record<string, Words>;
  const words = module[name];
  if (!words) throw new Error(`renderer/i18n/${file}.ts has no ${name}`);
  return words;
}

describe.skipIf(!HAS_KEYRING).each(LOCALES)(
  needsKeyring('every state of the window, checked with axe-core ($locale)'),
  ({ locale }) => {
    let app: DesktopApp;
    let w: Words;
    /** Each state's outcome, light and dark, for one failure message naming all of them. */
    const checked: string[] = [];

    beforeAll(async () => {
      await ensureRendererBuilt();
      w = await wordsOf(locale);
      app = await DesktopApp.start({ bucketCount: BUCKETS, signInTimeoutMs: 60_000, locale });
    }, 120_000);

    afterEach(() => {
      expect(app?.problems ?? []).toEqual([]);
    });

    afterAll(async () => {
      await app?.close();
      console.log(`axe-core (${locale}), critical or serious violations per state:\n  ${checked.join('\n  ')}`);
    });

    /** The state as it is now, light then dark: no critical or serious violation in either. */
    async function check(state: string): Promise<void> {
      const failures: string[] = [];
      for (const colorScheme of ['light', 'dark'] as const) {
        await app.page.emulateMedia({ colorScheme });
        const found = await blockingViolations(app.page);
        checked.push(`${state} (${colorScheme}): ${found.length}`);
        if (found.length > 0) failures.push(describeViolations(`${state}, ${locale}, ${colorScheme}`, found));
      }
      await app.page.emulateMedia({ colorScheme: 'light' });
      expect(failures, failures.join('\n')).toEqual([]);
    }

    const inDialog = (name: string) => app.button(name, app.dialog);
    const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    /** The details' Sign in (or Sign in again) button, in this language. */
    const signIn = () =>
      app
        .button(new RegExp(`^(${escape(w.details.signIn)}|${escape(w.details.signInAgain)})$`), app.details)
        .first()
        .click();

    it('first run, and the add-profile form (a preset, your own application with its errors shown)', async () => {
      await app.waitForFirstRun();
      await app.page.locator(`html[lang="${locale === 'zh-CN' ? 'zh-CN' : 'en'}"]`).waitFor({ state: 'attached' });
      await check('first run');
      await app.button(w.firstRun.demo).click();
      await app.dialog.getByRole('radio', { name: w.form.presets.demo }).waitFor();
      await check('add profile: the demo preset');
      await app.dialog.getByRole('radio', { name: w.form.presets['own-app'] }).check();
      await app.dialog.locator('details.advanced > summary').click();
      await inDialog(w.form.add).click();
      await app.dialog.locator('[aria-invalid="true"]').first().waitFor();
      await check('add profile: your own application, advanced, with errors');
      await app.dialog.getByRole('radio', { name: w.form.presets.demo }).check();
      await inDialog(w.form.add).click();
      await app.dialog.waitFor({ state: 'detached' });
      await app.waitForActive('demo');
      await check('a signed-out profile');
    });

    it('the sign-in sheet: waiting, then refused in the browser', async () => {
      await signIn();
      await app.waitForSignInWaiting();
      await app.systemBrowser.nextSignIn();
      await check('signing in: continue in your browser');
      await app.systemBrowser.deny();
      await app.waitForSignInFailure('ACCESS_DENIED');
      await check('signing in: refused (ACCESS_DENIED)');
      await app.button(w.signIn.close, app.signInSheet).click();
      await app.waitForSheetClosed();
    });

    it('signed in with buckets; filtered to nothing; a listing OSS refuses', async () => {
      await signIn();
      await app.waitForSignInWaiting();
      await app.systemBrowser.nextSignIn();
      await app.systemBrowser.allow({ login: 'alice' });
      await app.waitForSheetClosed();
      await app.bucketRows.first().waitFor();
      await app.bucketsFoot.waitFor();
      await check('signed in, buckets listed');
      await app.filterBuckets('no-such-bucket-anywhere');
      await app.page.locator('.buckets .pane-message').waitFor();
      await check('buckets: nothing matches the filter');
      await app.filterBuckets('');
      app.demo().oss.setFault({ kind: 'error', code: 'AccessDenied', status: 403, times: 1 });
      await app.button(w.buckets.refresh, app.page.locator('.buckets')).click();
      await app.page.locator('.buckets [role="alert"][data-code="OSS_ACCESS_DENIED"]').waitFor();
      await check('buckets: OSS refused (OSS_ACCESS_DENIED)');
      app.demo().oss.setFault(undefined);
      await app.button(w.buckets.refresh, app.page.locator('.buckets')).click();
      await app.bucketRows.first().waitFor();
    });

    it('each pane under the profile (the tab list: buckets, broker, aliyun CLI, audit log, expiry)', async () => {
      const tabs = app.page.getByRole('tablist').getByRole('tab');
      const count = await tabs.count();
      expect(count).toBeGreaterThan(1);
      for (let i = 0; i < count; i++) {
        const tab = tabs.nth(i);
        await tab.click();
        await app.page.locator('[role="tab"][aria-selected="true"]').nth(0).and(tab).waitFor();
        await app.page.getByRole('tabpanel').waitFor();
        // A pane that loads shows what it loaded (or why not) before it is judged.
        const panel = app.page.getByRole('tabpanel');
        await expect.poll(() => panel.getByText(w.hub.loading, { exact: true }).count()).toBe(0);
        await check(`pane: ${(await tab.getAttribute('id')) ?? String(i)}`);
      }
      await tabs.first().click();
      await app.bucketRows.first().waitFor();
    });

    it('the edit form, the quick switch and the remove confirmation', async () => {
      await app.button(w.details.edit, app.details).click();
      await app.dialog.waitFor();
      await check('edit profile');
      await inDialog(w.form.cancel).click();
      await app.dialog.waitFor({ state: 'detached' });
      await app.page.keyboard.press('Control+k');
      await app.page.getByRole('combobox').waitFor();
      await check('quick switch (Ctrl+K)');
      await app.page.keyboard.press('Escape');
      await app.dialog.waitFor({ state: 'detached' });
      await app.button(w.details.remove, app.details).click();
      await app.dialog.waitFor();
      await check('remove: confirm');
      await inDialog(w.remove.cancel).click();
      await app.dialog.waitFor({ state: 'detached' });
    });

    it('needs attention: the site no longer accepts the sign-in', async () => {
      const site = app.demo();
      site.oss.setFault({ kind: 'error', code: 'SecurityTokenExpired', status: 403 });
      site.provider.faults.exchangeStatus = 401;
      site.provider.faults.refuseRefresh = true;
      try {
        await app.button(w.buckets.refresh, app.page.locator('.buckets')).click();
        await app.details.locator('[role="alert"][data-code="INVALID_GRANT"]').waitFor();
      } finally {
        site.provider.resetFaults();
        site.oss.setFault(undefined);
      }
      await app.page.locator('.buckets [role="alert"][data-code="INVALID_GRANT"]').waitFor();
      await check('needs attention (INVALID_GRANT)');
    });
  },
);
