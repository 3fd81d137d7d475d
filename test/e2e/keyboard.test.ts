import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HAS_KEYRING, needsKeyring } from '../helpers/signin-fixture.js';
import { DesktopApp, ensureRendererBuilt } from './driver.js';
import { countPointerEvents, focusedRowIndex, hasFocus, tabTo } from './keys.js';

// Every pane with the keyboard alone: the built window in Chromium (as desktop.test.ts), reached
// and operated with Tab, Shift+Tab, Enter, Space, Escape, the arrow keys and the window's
// shortcuts, never the mouse (a counter in the page proves it). The person's browser, the second
// page, is driven as in the other tests: it is not this app. Run inside scripts/with-keyring.sh.

const BUCKETS = 200;
const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

describe.skipIf(!HAS_KEYRING)(needsKeyring('the window with the keyboard alone'), () => {
  let app: DesktopApp;
  let pointerEvents: () => Promise<number>;
  const key = (combo: string) => app.page.keyboard.press(combo);

  beforeAll(async () => {
    await ensureRendererBuilt();
    app = await DesktopApp.start({ bucketCount: BUCKETS, signInTimeoutMs: 60_000 });
    pointerEvents = await countPointerEvents(app.page);
  }, 120_000);

  afterEach(async () => {
    expect(app?.problems ?? []).toEqual([]);
    expect(await pointerEvents()).toBe(0);
  });

  afterAll(async () => {
    await app?.close();
  });

  it('adds a profile: Tab to Try the demo, Enter; the preset moved with the arrow keys; Space on Add profile', async () => {
    await app.waitForFirstRun();
    await tabTo(app.page, app.button('Try the demo'));
    await key('Enter');
    const name = app.dialog.getByLabel('Name', { exact: true });
    await name.waitFor();
    expect(await hasFocus(name)).toBe(true);
    // Shift+Tab reaches the chosen preset; the arrow keys move the choice, and back.
    const demo = app.dialog.getByRole('radio', { name: /The demo site/ });
    await tabTo(app.page, demo, { back: true, max: 4 });
    await key('ArrowUp');
    expect(await app.dialog.getByRole('radio', { name: 'Your own OAuth application' }).isChecked()).toBe(true);
    await key('ArrowDown');
    expect(await demo.isChecked()).toBe(true);
    await tabTo(app.page, app.button('Add profile', app.dialog), { max: 8 });
    await key('Space');
    await app.dialog.waitFor({ state: 'detached' });
    await app.waitForActive('demo');
  });

  it('signs in: Enter on Sign in, focus in the sheet, the address copied with Enter; the browser allows', async () => {
    await tabTo(app.page, app.button('Sign in', app.details));
    await key('Enter');
    await app.waitForSignInWaiting();
    expect(await hasFocus(app.button('Cancel', app.signInSheet))).toBe(true);
    const answered = app.bridge.answers.length;
    await tabTo(app.page, app.button('Copy the sign-in address', app.signInSheet), { max: 6 });
    await key('Enter');
    await expect.poll(() => app.bridge.answers.slice(answered).some((a) => a.channel === 'app:copy-text')).toBe(true);
    await app.systemBrowser.nextSignIn();
    await app.systemBrowser.allow({ login: 'alice' });
    await app.waitForSheetClosed();
    await app.waitForBucketsLoaded(BUCKETS);
  });

  it('adds a second profile from the list: Enter on Add, a name typed, Enter to save', async () => {
    await tabTo(app.page, app.button('Add a profile'));
    await key('Enter');
    const name = app.dialog.getByLabel('Name', { exact: true });
    await name.waitFor();
    expect(await hasFocus(name)).toBe(true);
    await key('Control+a');
    await app.page.keyboard.type('second');
    await key('Enter');
    await app.dialog.waitFor({ state: 'detached' });
    await app.waitForActive('second');
  });

  it('switches profile with Ctrl+K: typed, picked with the arrow keys, Enter; Escape closes it', async () => {
    const box = app.page.getByRole('combobox');
    await key('Control+k');
    await box.waitFor();
    expect(await hasFocus(box)).toBe(true);
    await key('Escape');
    await app.dialog.waitFor({ state: 'detached' });

    await key('Control+k');
    await app.page.keyboard.type('dem');
    await key('Enter');
    await app.waitForActive('demo');

    await key('Control+k');
    const option = (name: string) => app.page.getByRole('option', { name: new RegExp(`^${name}`) });
    await key('ArrowDown');
    expect(await option('second').getAttribute('aria-selected')).toBe('true');
    await key('ArrowUp');
    expect(await option('demo').getAttribute('aria-selected')).toBe('true');
    await key('ArrowDown');
    await key('Enter');
    await app.waitForActive('second');
    await key('Control+k');
    await key('Enter');
    await app.waitForActive('demo');
    await app.waitForBucketsLoaded(BUCKETS);
  });

  it('filters (Ctrl+F), sorts (Enter, Space on the column buttons), scrolls (End, Home) and copies from the bucket table', async () => {
    await key('Control+f');
    expect(await hasFocus(app.page.locator('#bucket-filter'))).toBe(true);
    const [first] = await app.bucketNames();
    await app.page.keyboard.type(first ?? '');
    await app.bucketsFoot.filter({ hasText: ` of ${BUCKETS} shown` }).waitFor();
    for (const name of await app.bucketNames()) expect(name).toContain(first);
    await key('Control+a');
    await key('Backspace');
    await app.bucketsFoot.filter({ hasNotText: ' shown' }).waitFor();

    const header = (name: string) => app.page.getByRole('columnheader', { name: new RegExp(`^${name}`) });
    await tabTo(app.page, header('Name').getByRole('button'), { max: 6 });
    await key('Enter');
    await expect.poll(() => header('Name').getAttribute('aria-sort')).toBe('descending');
    const names = await app.bucketNames();
    expect(names).toEqual([...names].sort((a, b) => collator.compare(b, a)));
    await tabTo(app.page, header('Region').getByRole('button'), { max: 3 });
    await key('Space');
    await expect.poll(() => header('Region').getAttribute('aria-sort')).toBe('ascending');

    // The table itself takes the focus (before its header's buttons) and scrolls with the keys.
    await tabTo(app.page, app.bucketScroller, { back: true, max: 4 });
    await key('End');
    await app.page.locator(`[data-testid="bucket-scroll"] [role="row"][aria-rowindex="${BUCKETS + 1}"]`).waitFor();
    await key('Home');
    await app.page.locator('[data-testid="bucket-scroll"] .bucket-body [role="row"][aria-rowindex="2"]').waitFor();

    // The rows' Copy buttons are one Tab stop: the arrow keys and End move between rows, Enter
    // copies, and Tab leaves the table (never a walk through every bucket).
    const rowStop = app.page.locator('[data-testid="bucket-scroll"] .bucket-body button.copy[tabindex="0"]');
    await tabTo(app.page, rowStop, { max: 6 });
    expect(await focusedRowIndex(app.page)).toBe('2');
    await key('ArrowDown');
    await expect.poll(() => focusedRowIndex(app.page)).toBe('3');
    await key('End');
    await expect.poll(() => focusedRowIndex(app.page)).toBe(String(BUCKETS + 1));
    const answered = app.bridge.answers.length;
    await key('Enter');
    await expect.poll(() => app.bridge.answers.slice(answered).some((a) => a.channel === 'app:copy-text')).toBe(true);
    await key('Tab');
    expect(await focusedRowIndex(app.page)).toBeNull();
  });

  it('moves between the panes under the profile: one Tab stop, the arrow keys, Home and End', async () => {
    const tabs = app.page.getByRole('tablist').getByRole('tab');
    const count = await tabs.count();
    expect(count).toBeGreaterThan(1);
    const selected = app.page.locator('[role="tab"][aria-selected="true"]');
    await tabTo(app.page, selected, { back: true, max: 12 });
    for (let i = 1; i < count; i++) {
      await key('ArrowRight');
      await expect.poll(() => tabs.nth(i).getAttribute('aria-selected')).toBe('true');
      expect(await hasFocus(tabs.nth(i))).toBe(true);
      // The panel follows the tab it belongs to.
      expect(await app.page.getByRole('tabpanel').getAttribute('aria-labelledby')).toBe(
        await tabs.nth(i).getAttribute('id'),
      );
    }
    await key('Home');
    await expect.poll(() => tabs.first().getAttribute('aria-selected')).toBe('true');
    await key('End');
    await expect.poll(() => tabs.last().getAttribute('aria-selected')).toBe('true');
    await key('ArrowRight');
    await expect.poll(() => tabs.first().getAttribute('aria-selected')).toBe('true');
    await app.bucketRows.first().waitFor();
  });

  it('opens the removal and keeps the profile: Escape, then Enter on Keep it; focus comes back each time', async () => {
    const remove = app.button('Remove', app.details);
    await tabTo(app.page, remove, { back: true, max: 40 });
    await key('Enter');
    const keep = app.button('Keep it', app.dialog);
    await keep.waitFor();
    expect(await hasFocus(keep)).toBe(true);
    await key('Escape');
    await app.dialog.waitFor({ state: 'detached' });
    expect(await hasFocus(remove)).toBe(true);

    await key('Space');
    await keep.waitFor();
    await key('Tab');
    expect(await hasFocus(app.button('Remove', app.dialog))).toBe(true);
    await key('Shift+Tab');
    expect(await hasFocus(keep)).toBe(true);
    await key('Enter');
    await app.dialog.waitFor({ state: 'detached' });
    expect(await hasFocus(remove)).toBe(true);
    expect((await app.snapshot()).profiles.map((p) => p.name)).toEqual(['demo', 'second']);
  });
});
